using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace B2BPortal.Web.Tests.Infrastructure;

/// <summary>
/// The one WebApplicationFactory: the real Program on a throwaway PostgreSQL database, signing in and calling Graph
/// against a simulated tenant on loopback (Kestrel), so Microsoft.Identity.Web's real code paths run: browsers and
/// Graph on its plain-HTTP listener, the authority (issuer, tokens, keys — what MSAL talks to) on its HTTPS listener,
/// whose certificate the portal pins by the fingerprint given here.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>How long the portal may take to build and start: migrations, hosted services, Kestrel.</summary>
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(2);

    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);
    private PortalFactory? _sharedWith;

    public SimulatedTenantServer Tenant { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    /// <summary>Which parts run: "web" keeps the delivery workers off so tests see rows exactly as stored.</summary>
    protected virtual string Roles => "web";

    /// <summary>Settings on top of the defaults; set before the first client is created.</summary>
    public PortalFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Start-up settings of the simulated tenant (e.g. a short token lifetime).</summary>
    protected virtual void ConfigureTenant(SimulatorOptions options)
    {
    }

    /// <summary>Another instance of the same deployment: this factory uses the other's tenant and database (set before InitializeAsync).</summary>
    public PortalFactory SharingTenantAndDatabaseOf(PortalFactory other)
    {
        _sharedWith = other;
        return this;
    }

    public virtual async Task InitializeAsync()
    {
        if (_sharedWith is not null)
        {
            Tenant = _sharedWith.Tenant;
            ConnectionString = _sharedWith.ConnectionString;
            return;
        }

        Tenant = await SimulatedTenantServer.StartAsync(configure: ConfigureTenant, secureAuthority: true);
        var server = await PostgresServer.GetAsync();
        ConnectionString = await server.CreateDatabaseAsync(GetType().Name, CancellationToken.None);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        if (_sharedWith is null)
        {
            await Tenant.DisposeAsync();
        }
    }

    /// <summary>
    /// The start (on the first client, the first use of <c>Services</c>, or <see cref="StartOnLoopback"/>) is
    /// synchronous and has no limit of its own: a start that stalls (a migration waiting on a lock, a hosted service
    /// that never returns) fails after <see cref="StartLimit"/> naming this factory instead of holding the run silent.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var starting = Task.Run(() => base.CreateHost(builder));
        try
        {
            return starting.Within(StartLimit, $"the portal ({GetType().Name}, roles {Roles}) did not start").GetAwaiter().GetResult();
        }
        catch (TimeoutException) when (!starting.IsCompleted)
        {
            // Abandoned, so if it starts after all, stop it rather than leave its workers and listeners running.
            _ = starting.ContinueWith(
                started => started.Result.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            throw;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Portal", ConnectionString);
        builder.UseSetting("Simulation:TenantUrl", Tenant.BaseUrl);
        builder.UseSetting("Simulation:TenantHttpsUrl", Tenant.SecureBaseUrl);
        builder.UseSetting("Simulation:TenantCertificateSha256", Tenant.CertificateSha256);
        builder.UseSetting("AzureAd:TenantId", "");
        builder.UseSetting("Portal:Roles", Roles);

        // Tests call the API and upload much faster than any client should; Security/RateLimitTests set low limits.
        builder.UseSetting("Portal:RateLimits:ApiPermitsPerWindow", "1000000");
        builder.UseSetting("Portal:RateLimits:ConcurrentUploads", "1000");
        if (Environment.GetEnvironmentVariable("B2BPORTAL_TEST_LOG") is { Length: > 0 } log)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(new FileLoggerProvider(log)));
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>
    /// Serves the portal with Kestrel on a free 127.0.0.1 port (instead of the in-memory TestServer) so a real browser
    /// can reach it; returns its base address. Call once, before any client is created. The start is bounded like
    /// every other (<see cref="CreateHost"/>).
    /// </summary>
    public Uri StartOnLoopback()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First());
    }

    /// <summary>A context on the portal's database, outside the portal's container (the caller disposes it).</summary>
    public PortalDbContext CreateDbContext() =>
        new PostgresPortalDbContext(new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql(ConnectionString).Options);

    /// <summary>A client that does not follow redirects (so tests see 302s) and keeps the portal's cookies.</summary>
    public HttpClient CreatePortalClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs a simulated person in through the tenant's real OpenID Connect flow and returns the portal client holding the cookie.</summary>
    public async Task<HttpClient> SignInAsync(string userPrincipalName)
    {
        var portal = CreatePortalClient();
        await OidcSignIn.RunAsync(portal, userPrincipalName);
        return portal;
    }

    /// <summary>An API client holding a bearer token from the simulated tenant (client credentials).</summary>
    public async Task<HttpClient> CreateApiClientAsync(string clientId, string clientSecret)
    {
        using var http = new HttpClient();
        var token = await http.PostAsync(
            $"{Tenant.BaseUrl}/_tenant/{SimulatedTenantDefaults.TenantId}/oauth2/v2.0/token",
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = clientId,
                ["client_secret"] = clientSecret,
                ["scope"] = SimulatedTenantDefaults.PortalApiScope,
            }));
        token.EnsureSuccessStatusCode();
        var body = await token.Content.ReadFromJsonAsync<JsonElement>();
        var client = CreatePortalClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
        return client;
    }

    public Task<HttpClient> CreateAutomationClientAsync() =>
        CreateApiClientAsync(SimulatedTenantDefaults.AutomationClientId, SimulatedTenantDefaults.AutomationClientSecret);
}

/// <summary>A portal that also runs the delivery workers.</summary>
public sealed class DeliveringPortalFactory : PortalFactory
{
    protected override string Roles => "web,worker";
}
