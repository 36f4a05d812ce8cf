using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tests.TestSupport;
using Microsoft.Identity.Client;
using Microsoft.IdentityModel.JsonWebTokens;

namespace B2BPortal.Simulator.Tests.Identity;

/// <summary>Entra's instance discovery, which MSAL asks before it trusts an authority host it does not know.</summary>
public sealed class InstanceDiscoveryTests(SimulatorFixture tenant) : IClassFixture<SimulatorFixture>
{
    [Theory]
    [InlineData("")]
    [InlineData("/_tenant")]
    public async Task Discovery_ForOwnHost_NamesThisHostAsEntraDoes(string prefix)
    {
        var host = new Uri(tenant.Server.BaseUrl);
        var authorize = $"{tenant.Server.BaseUrl}/{SimulatedTenantDefaults.TenantId}/oauth2/v2.0/authorize";

        var json = (await tenant.Http.GetFromJsonAsync<JsonObject>(
            $"{tenant.Server.BaseUrl}{prefix}/common/discovery/instance?api-version=1.1&authorization_endpoint={Uri.EscapeDataString(authorize)}"))!;

        Assert.Equal(
            $"{tenant.Server.BaseUrl}/{SimulatedTenantDefaults.TenantId}/v2.0/.well-known/openid-configuration",
            json["tenant_discovery_endpoint"]!.GetValue<string>());
        Assert.Equal("1.1", json["api-version"]!.GetValue<string>());
        var metadata = Assert.Single(json["metadata"]!.AsArray())!;
        Assert.Equal(host.Host, metadata["preferred_network"]!.GetValue<string>());
        Assert.Equal(host.Host, metadata["preferred_cache"]!.GetValue<string>());
        Assert.Equal([host.Host], metadata["aliases"]!.AsArray().Select(a => a!.GetValue<string>()));

        using var discovered = await tenant.Http.GetAsync(json["tenant_discovery_endpoint"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, discovered.StatusCode);
    }

    [Fact]
    public async Task Discovery_ForAnotherHost_IsInvalidInstance()
    {
        using var response = await tenant.Http.GetAsync(
            $"{tenant.Server.BaseUrl}/common/discovery/instance?api-version=1.1&authorization_endpoint="
            + Uri.EscapeDataString("https://login.example.net/common/oauth2/v2.0/authorize"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_instance", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());
    }

    /// <summary>
    /// MSAL itself, authority validation on, over HTTPS: its discovery request (to Microsoft's host) is routed to the simulator,
    /// as a simulation-only IMsalHttpClientFactory would, and MSAL accepts the answer and gets a token.
    /// </summary>
    [Fact]
    public async Task Msal_WithInstanceDiscovery_RoutedToSimulator_GetsToken()
    {
        await using var server = await SimulatedTenantServer.StartAsync(https: true);
        var seen = new ConcurrentQueue<(Uri Uri, HttpStatusCode Status)>();
        using var http = new HttpClient(new RoutingHandler(server, seen));
        var app = ConfidentialClientApplicationBuilder.Create(SimulatedTenantDefaults.PortalClientId)
            .WithClientSecret(SimulatedTenantDefaults.PortalClientSecret)
            .WithAuthority($"{server.BaseUrl}/{SimulatedTenantDefaults.TenantId}", validateAuthority: true)
            .WithHttpClientFactory(new FixedHttpClientFactory(http))
            .Build();

        var result = await app.AcquireTokenForClient([SimulatedTenantDefaults.GraphScope]).ExecuteAsync();

        Assert.Equal(SimulatedTenantDefaults.GraphAudience, new JsonWebToken(result.AccessToken).GetClaim("aud").Value);
        // MSAL falls back to the bare authority when discovery fails with anything but invalid_instance, so check it was answered.
        var discovery = Assert.Single(seen, s => s.Uri.AbsolutePath == "/common/discovery/instance");
        Assert.Equal("login.microsoftonline.com", discovery.Uri.Host);
        Assert.Equal(HttpStatusCode.OK, discovery.Status);
    }

    private sealed class FixedHttpClientFactory(HttpClient client) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => client;
    }

    /// <summary>Sends Microsoft's login host to the simulator and trusts only the simulator's own certificate.</summary>
    private sealed class RoutingHandler(SimulatedTenantServer server, ConcurrentQueue<(Uri, HttpStatusCode)> seen) : DelegatingHandler(new HttpClientHandler
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.RawData.AsSpan().SequenceEqual(server.Certificate!.RawData),
    })
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var asked = request.RequestUri!;
            if (asked.Host == "login.microsoftonline.com")
            {
                var simulator = new Uri(server.BaseUrl);
                request.RequestUri = new UriBuilder(asked) { Host = simulator.Host, Port = simulator.Port }.Uri;
            }

            var response = await base.SendAsync(request, cancellationToken);
            seen.Enqueue((asked, response.StatusCode));
            return response;
        }
    }
}
