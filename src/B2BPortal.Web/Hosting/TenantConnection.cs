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
    SimulatedAuthority? SecureAuthority = null,
    string? DefaultRedirectOverride = null)
{
    /// <summary>Where guests land after accepting when a row names no redirect URL: set this to override the cloud's My Apps.</summary>
    public const string DefaultRedirectKey = "Invitations:DefaultRedirectUrl";

    /// <summary>
    /// The Graph resource tokens are asked for and <c>@odata.id</c> references name: the cloud's own Graph host
    /// (docs/graph.md "National clouds"): graph.microsoft.com, graph.microsoft.us, dod-graph.microsoft.us,
    /// microsoftgraph.chinacloudapi.cn. The simulated tenant answers as global Graph, as CONTRACT says.
    /// </summary>
    public string GraphResource => IsSimulated ? GlobalGraph : $"{GraphBaseUrl.Scheme}://{GraphBaseUrl.Authority}";

    /// <summary>The app-only scope: all the application permissions consented for the portal.</summary>
    public string GraphDefaultScope => $"{GraphResource}/.default";

    /// <summary>A directory object's reference for <c>$ref</c> bodies (<c>users</c>, <c>directoryObjects</c>), on this cloud's Graph.</summary>
    public string GraphReference(string collection, string id) => $"{GraphResource}/v1.0/{collection}/{id}";

    /// <summary>Delegated scopes named on this cloud's Graph resource.</summary>
    public IReadOnlyList<string> DelegatedGraphScopes(IEnumerable<string> permissions) => [.. permissions.Select(p => $"{GraphResource}/{p}")];

    private const string GlobalGraph = "https://graph.microsoft.com";

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

    /// <summary>
    /// Where a guest lands after accepting when the row names no redirect URL: the tenant's My Apps in its cloud, or
    /// <see cref="DefaultRedirectKey"/>.
    /// </summary>
    public string DefaultRedirectUrl => DefaultRedirectOverride ?? MyAppsFor(IsSimulated ? "graph.microsoft.com" : GraphBaseUrl.Host, TenantId)
        ?? throw new InvalidOperationException(
            $"The portal does not know the My Apps address of the cloud whose Graph is {GraphBaseUrl.Host}: set {DefaultRedirectKey} " +
            "to where guests should land after accepting an invitation that names no redirect URL.");

    /// <summary>My Apps per cloud, by its Graph host (docs/graph.md "National clouds"); null for a cloud not listed.</summary>
    public static string? MyAppsFor(string graphHost, string tenantId) => graphHost.ToLowerInvariant() switch
    {
        "graph.microsoft.com" => $"https://myapplications.microsoft.com/?tenantid={tenantId}",
        "graph.microsoft.us" or "dod-graph.microsoft.us" => $"https://myapps.microsoft.us/?tenantid={tenantId}",
        _ => null,
    };
}

/// <summary>
/// Resolves the <see cref="TenantConnection"/> from configuration. The in-process simulator lives at the portal's own
/// first URL (`--urls`, ASPNETCORE_URLS, launch settings), default http://localhost:5000.
/// </summary>
public sealed class TenantConnectionResolver(IConfiguration configuration)
{
    private TenantConnection? _current;

    /// <summary>True when no real tenant is configured, so the simulated tenant serves sign-in and Graph.</summary>
    public bool Simulated => IsSimulation(configuration);

    /// <inheritdoc cref="Simulated"/>
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
            if (!Uri.TryCreate(graph, UriKind.Absolute, out var graphUrl) || graphUrl.Scheme != Uri.UriSchemeHttps)
            {
                throw new InvalidOperationException($"Graph:BaseUrl must be the https address of the cloud's Graph ending in /v1.0 (https://graph.microsoft.us/v1.0); it is '{graph}'.");
            }

            var real = new TenantConnection(
                false,
                configuration["AzureAd:TenantId"]!,
                instance,
                configuration["AzureAd:ClientId"] ?? throw new InvalidOperationException("AzureAd:ClientId is not configured."),
                configuration["AzureAd:ClientSecret"],
                graphUrl,
                DefaultRedirectOverride: RedirectOverride(configuration));
            _ = real.DefaultRedirectUrl; // a cloud without a known My Apps needs the key: say so at start-up, not at the first send
            return real;
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
            SimulatedAuthority.From(configuration),
            RedirectOverride(configuration));
    }

    private static string? RedirectOverride(IConfiguration configuration)
    {
        var value = configuration[TenantConnection.DefaultRedirectKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps
            ? value
            : throw new InvalidOperationException($"{TenantConnection.DefaultRedirectKey} must be an https URL; it is '{value}'.");
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
