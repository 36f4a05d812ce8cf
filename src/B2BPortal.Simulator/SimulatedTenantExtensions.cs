using B2BPortal.Simulator.Graph;
using B2BPortal.Simulator.Identity;
using B2BPortal.Simulator.Tenant;

namespace B2BPortal.Simulator;

/// <summary>Mounts the simulated tenant in any ASP.NET Core app (the portal in simulation mode, or the standalone host).</summary>
public static class SimulatedTenantExtensions
{
    public static IServiceCollection AddSimulatedTenant(this IServiceCollection services, Action<SimulatorOptions>? configure = null)
    {
        var options = new SimulatorOptions();
        configure?.Invoke(options);
        services.AddSingleton(options);
        services.AddSingleton(_ => new SimulatedTenant(options));
        services.AddSingleton(_ => new TokenService(options));
        services.AddSingleton<AuthorizationStore>();
        services.AddSingleton<SmtpSink>();
        return services;
    }

    /// <summary>
    /// Maps everything under <c>/_tenant</c>. The endpoints are anonymous and skip antiforgery on purpose: the host's
    /// fallback policy must not demand a sign-in from its own identity provider, and the simulator checks its own
    /// bearer tokens on Graph requests. They stay out of the host's OpenAPI document.
    /// </summary>
    public static IEndpointRouteBuilder MapSimulatedTenant(this IEndpointRouteBuilder endpoints)
    {
        var tenant = endpoints.MapGroup(TenantUrls.Prefix);
        tenant.AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        OidcEndpoints.Map(tenant);
        GraphEndpoint.Map(tenant);
        TenantEndpoints.Map(tenant);

        // MSAL (under Azure.Identity) treats the first path segment of an Entra authority as the tenant and replaces it,
        // so with AuthorityHost {base}/_tenant/ it posts to {base}/{tenantId}/oauth2/v2.0/token. The fixed tenant GUID
        // cannot clash with the host's own routes.
        var msal = endpoints.MapGroup(string.Empty);
        msal.AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        OidcEndpoints.MapMsalAliases(msal);
        return endpoints;
    }
}
