using B2BPortal.Web.Delivery;
using B2BPortal.Web.Invitations;
using Microsoft.Extensions.Logging.Abstractions;

namespace B2BPortal.Web.Tests.Infrastructure;

/// <summary>
/// The real Graph gateway pointed at a loopback port nobody listens on: for tests of storage and review that must not
/// depend on a tenant. Graph is unreachable there, so the guest invite setting is unknown and blocks nothing.
/// </summary>
internal static class NoTenant
{
    public static GuestInvitePolicy InvitePolicy(TimeProvider? time = null) =>
        new(Gateway(time), time ?? TimeProvider.System, NullLogger<GuestInvitePolicy>.Instance);

    /// <summary>The domain policy as configured (<paramref name="options"/>, none by default) and stored; no verified domains.</summary>
    public static PolicySource Policies(IDbContextFactory<PortalDbContext> contexts, PortalPolicyOptions? options = null) =>
        new(contexts, Options.Create(options ?? new PortalPolicyOptions()), new TenantDomains(Gateway(null), TimeProvider.System, NullLogger<TenantDomains>.Instance), TimeProvider.System);

    private static GraphGateway Gateway(TimeProvider? time)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureAd:TenantId"] = "", ["Simulation:TenantUrl"] = "http://127.0.0.1:9" })
            .Build();
        return new GraphGateway(new TenantConnectionResolver(configuration), GraphHttp.Clients, Options.Create(new DeliveryOptions()), time ?? TimeProvider.System);
    }
}
