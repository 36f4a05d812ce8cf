using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using B2BPortal.Simulator;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace B2BPortal.Web.Tests.Infrastructure;

/// <summary>
/// The one WebApplicationFactory: the real Program on a throwaway PostgreSQL database, signing in and calling Graph
/// against a simulated tenant served over HTTP (Kestrel on loopback), so Microsoft.Identity.Web's real code paths run.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);

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

    public virtual async Task InitializeAsync()
    {
        Tenant = await SimulatedTenantServer.StartAsync();
        var server = await PostgresServer.GetAsync();
        ConnectionString = await server.CreateDatabaseAsync(GetType().Name, CancellationToken.None);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await Tenant.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Portal", ConnectionString);
        builder.UseSetting("Simulation:TenantUrl", Tenant.BaseUrl);
        builder.UseSetting("AzureAd:TenantId", "");
        builder.UseSetting("Portal:Roles", Roles);
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
    /// can reach it; returns its base address. Call once, before any client is created.
    /// </summary>
    public Uri StartOnLoopback()
    {
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First());
    }

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
