using B2BPortal.Web.Delivery;
using B2BPortal.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace B2BPortal.Web.Tests.Infrastructure;

/// <summary>
/// The real Graph gateway pointed at a loopback port nobody listens on: for tests of storage and review that must not
/// depend on a tenant. Graph is unreachable there, so the guest invite setting is unknown and blocks nothing.
/// </summary>
internal static class NoTenant
{
    public static GuestInvitePolicy InvitePolicy(TimeProvider? time = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureAd:TenantId"] = "", ["Simulation:TenantUrl"] = "http://127.0.0.1:9" })
            .Build();
        var gateway = new GraphGateway(new TenantConnectionResolver(configuration), Options.Create(new DeliveryOptions()), time ?? TimeProvider.System);
        return new GuestInvitePolicy(gateway, time ?? TimeProvider.System, NullLogger<GuestInvitePolicy>.Instance);
    }
}
