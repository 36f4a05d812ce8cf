using B2BPortal.Simulator;

namespace B2BPortal.Web.Hosting;

/// <summary>
/// Where the portal's tenant lives: a real Entra tenant (AzureAd:TenantId set), a standalone simulator
/// (Simulation:TenantUrl) or the simulator mounted in this process under /_tenant.
/// </summary>
/// <param name="Instance">Where browsers go (sign-in, mailbox), and the simulator's app-only token endpoint.</param>
/// <param name="SecureAuthority">In simulation, the HTTPS back channel that is the authority, and its pinned certificate.</param>
public sealed record TenantConnection(
    bool IsSimulated,
    string TenantId,
    string Instance,
    string ClientId,
    string? ClientSecret,
    Uri GraphBaseUrl,
    SimulatedAuthority? SecureAuthority = null)
{
    /// <summary>
    /// The instance Microsoft.Identity.Web and MSAL are given: the real tenant's, or the simulator's HTTPS back channel,
    /// because MSAL refuses a plain-HTTP authority (docs/graph.md "Authorities over plain HTTP").
    /// </summary>
    public string AuthorityInstance => SecureAuthority is null ? Instance : $"{SecureAuthority.SecureBaseUrl}/_tenant/";

    /// <summary>OpenID Connect authority (v2.0) and the exact token issuer, as Microsoft.Identity.Web builds it from the instance and TenantId.</summary>
    public string Authority => $"{AuthorityInstance.TrimEnd('/')}/{TenantId}/v2.0";

    /// <summary>
    /// Whether a signed-in admin's tokens can be acquired through Microsoft.Identity.Web (MSAL): always for a real
    /// tenant; in simulation only with the HTTPS back channel.
    /// </summary>
    public bool CanAcquireUserTokens => !IsSimulated || SecureAuthority is not null;

    /// <summary>Token endpoint for the app-only (client credentials) flow.</summary>
    public Uri TokenEndpoint => new($"{Instance.TrimEnd('/')}/{TenantId}/oauth2/v2.0/token");

    /// <summary>Where a guest lands after accepting when the row names no redirect URL (the tenant's My Apps).</summary>
    public string DefaultRedirectUrl => $"https://myapplications.microsoft.com/?tenantid={TenantId}";
}

/// <summary>
/// Resolves the <see cref="TenantConnection"/> from configuration. The in-process simulator lives at the portal's own
/// first URL (`--urls`, ASPNETCORE_URLS, launch settings), default http://localhost:5000.
/// </summary>
public sealed class TenantConnectionResolver(IConfiguration configuration)
{
    private TenantConnection? _current;

    /// <summary>True when no real tenant is configured, so the simulated tenant serves sign-in and Graph.</summary>
    public static bool IsSimulation(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration["AzureAd:TenantId"]);

    /// <summary>
    /// True when the simulator is mounted in this process: simulation without an external simulator URL. Outside
    /// Development that needs <c>Simulation:Enabled=true</c>, so a production portal never serves a fake tenant by accident.
    /// </summary>
    public static bool HostsSimulatorInProcess(IConfiguration configuration) =>
        IsSimulation(configuration) && string.IsNullOrWhiteSpace(configuration["Simulation:TenantUrl"]);

    /// <summary>Refuses to start a production portal with neither a real tenant nor an explicitly enabled simulation.</summary>
    public static void EnsureTenantConfigured(IConfiguration configuration, IHostEnvironment environment)
    {
        // In-process or at Simulation:TenantUrl alike: outside Development a fake tenant (anyone may sign in as Global
        // Administrator) is only ever served when someone said so explicitly.
        if (IsSimulation(configuration) && !environment.IsDevelopment() && !configuration.GetValue("Simulation:Enabled", false))
        {
            throw new InvalidOperationException(
                "No Entra tenant is configured (AzureAd:TenantId is empty). Configure the AzureAd section (see README), " +
                "or set Simulation:Enabled=true to run against the simulated tenant outside Development.");
        }
    }

    public TenantConnection Current => _current ??= Resolve(configuration);

    public static TenantConnection Resolve(IConfiguration configuration)
    {
        if (!IsSimulation(configuration))
        {
            var instance = configuration["AzureAd:Instance"] ?? "https://login.microsoftonline.com/";
            var graph = configuration["Graph:BaseUrl"] ?? "https://graph.microsoft.com/v1.0";
            return new TenantConnection(
                false,
                configuration["AzureAd:TenantId"]!,
                instance,
                configuration["AzureAd:ClientId"] ?? throw new InvalidOperationException("AzureAd:ClientId is not configured."),
                configuration["AzureAd:ClientSecret"],
                new Uri(graph));
        }

        var external = configuration["Simulation:TenantUrl"];
        var baseUrl = (string.IsNullOrWhiteSpace(external) ? OwnAddress(configuration) : external).TrimEnd('/');
        return new TenantConnection(
            true,
            SimulatedTenantDefaults.TenantId,
            $"{baseUrl}/_tenant/",
            SimulatedTenantDefaults.PortalClientId,
            SimulatedTenantDefaults.PortalClientSecret,
            new Uri($"{baseUrl}/_tenant/graph/v1.0"),
            SimulatedAuthority.From(configuration));
    }

    private static string OwnAddress(IConfiguration configuration)
    {
        var configured = configuration["urls"];
        var urls = (string.IsNullOrWhiteSpace(configured) ? "http://localhost:5000" : configured)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var address = urls.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? urls[0];

        // Wildcard bindings are not addresses a browser can be sent to.
        return address.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal);
    }
}
