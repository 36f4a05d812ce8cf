namespace B2BPortal.Simulator;

// Placeholder until the simulator branch lands; the simulator's own file replaces it.
public static class SimulatedTenantDefaults
{
    public const string TenantId = "00000000-0000-0000-0000-000000000001";
    public const string PortalClientId = "00000000-0000-0000-0000-000000000002";
    public const string PortalClientSecret = "placeholder";
    public const string GlobalAdminUpn = "admin@contoso.onmicrosoft.com";
}

public sealed class SimulatorOptions;

public static class SimulatedTenantPlaceholderExtensions
{
    public static IServiceCollection AddSimulatedTenant(this IServiceCollection services, Action<SimulatorOptions>? configure = null) => services;

    public static IEndpointRouteBuilder MapSimulatedTenant(this IEndpointRouteBuilder endpoints) => endpoints;
}
