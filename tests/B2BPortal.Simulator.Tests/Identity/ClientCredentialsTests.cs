using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using B2BPortal.Simulator.Tests.TestSupport;
using Microsoft.Graph;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace B2BPortal.Simulator.Tests.Identity;

public sealed class ClientCredentialsTests(SimulatorFixture tenant) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task GraphToken_PortalClient_ValidatesAgainstPublishedKeysWithGraphPermissions()
    {
        var token = await tenant.TokenAsync();

        var result = await ValidateWithPublishedKeysAsync(token, SimulatedTenantDefaults.GraphAudience);

        Assert.True(result.IsValid, result.Exception?.Message);
        var roles = result.ClaimsIdentity.FindAll("roles").Select(c => c.Value).ToList();
        Assert.Contains("User.Invite.All", roles);
        Assert.Contains("GroupMember.ReadWrite.All", roles);
        Assert.Equal(SimulatedTenantDefaults.TenantId, result.ClaimsIdentity.FindFirst("tid")!.Value);
        Assert.Equal(SimulatedTenantDefaults.PortalClientId, result.ClaimsIdentity.FindFirst("azp")!.Value);
        Assert.Equal("2.0", result.ClaimsIdentity.FindFirst("ver")!.Value);
        Assert.NotNull(result.ClaimsIdentity.FindFirst("oid"));
    }

    [Fact]
    public async Task PortalApiToken_AutomationClient_HoldsInvitationsSendRole()
    {
        var token = await tenant.TokenAsync(
            SimulatedTenantDefaults.AutomationClientId, SimulatedTenantDefaults.AutomationClientSecret, SimulatedTenantDefaults.PortalApiScope);

        var result = await ValidateWithPublishedKeysAsync(token, SimulatedTenantDefaults.PortalClientId);

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal([SimulatedTenantDefaults.PortalApiAppRole], result.ClaimsIdentity.FindAll("roles").Select(c => c.Value));
        Assert.Equal(SimulatedTenantDefaults.AutomationClientId, result.ClaimsIdentity.FindFirst("appid")!.Value);
    }

    [Fact]
    public async Task PortalApiToken_ClientWithoutRole_HasNoRoles()
    {
        var token = await tenant.TokenAsync(scope: SimulatedTenantDefaults.PortalApiScope);

        var result = await ValidateWithPublishedKeysAsync(token, SimulatedTenantDefaults.PortalClientId);

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Empty(result.ClaimsIdentity.FindAll("roles"));
    }

    [Fact]
    public async Task Token_ForgedSignature_FailsValidation()
    {
        var parts = (await tenant.TokenAsync()).Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{Base64UrlEncoder.Encode(new byte[256])}";

        var result = await ValidateWithPublishedKeysAsync(forged, SimulatedTenantDefaults.GraphAudience);

        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData(SimulatedTenantDefaults.PortalClientId, "wrong-secret", SimulatedTenantDefaults.GraphScope, HttpStatusCode.Unauthorized, "invalid_client")]
    [InlineData("00000000-1111-2222-3333-444444444444", "x", SimulatedTenantDefaults.GraphScope, HttpStatusCode.BadRequest, "unauthorized_client")]
    [InlineData(SimulatedTenantDefaults.PortalClientId, SimulatedTenantDefaults.PortalClientSecret, "https://graph.microsoft.com/User.Read", HttpStatusCode.BadRequest, "invalid_scope")]
    [InlineData(SimulatedTenantDefaults.PortalClientId, SimulatedTenantDefaults.PortalClientSecret, "api://unknown/.default", HttpStatusCode.BadRequest, "invalid_scope")]
    public async Task TokenRequest_Refused_ReturnsOAuthError(string clientId, string secret, string scope, HttpStatusCode status, string error)
    {
        using var response = await tenant.RequestTokenAsync(clientId, secret, scope);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(error, (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task TokenRequest_BasicAuthentication_IsAccepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, tenant.TokenEndpoint)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["scope"] = SimulatedTenantDefaults.GraphScope,
            }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{SimulatedTenantDefaults.PortalClientId}:{SimulatedTenantDefaults.PortalClientSecret}")));

        using var response = await tenant.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Discovery_NamesThisTenantsEndpoints()
    {
        var json = (await tenant.Http.GetFromJsonAsync<JsonObject>($"{tenant.Authority}/.well-known/openid-configuration"))!;

        Assert.Equal(tenant.Authority, json["issuer"]!.GetValue<string>());
        Assert.Equal(tenant.TokenEndpoint, json["token_endpoint"]!.GetValue<string>());
        Assert.Equal($"{tenant.Server.BaseUrl}/_tenant/{SimulatedTenantDefaults.TenantId}/discovery/v2.0/keys", json["jwks_uri"]!.GetValue<string>());
    }

    /// <summary>The production credential (Azure.Identity/MSAL) against the simulator's HTTPS token endpoint, certificate pinned.</summary>
    [Fact]
    public async Task AzureIdentityClientSecretCredential_OverHttps_GetsTokenThatGraphSdkAttaches()
    {
        await using var server = await SimulatedTenantServer.StartAsync(https: true);
        var credential = new ClientSecretCredential(
            SimulatedTenantDefaults.TenantId,
            SimulatedTenantDefaults.PortalClientId,
            SimulatedTenantDefaults.PortalClientSecret,
            new ClientSecretCredentialOptions
            {
                AuthorityHost = new Uri($"{server.BaseUrl}/_tenant/"),
                DisableInstanceDiscovery = true,
                Transport = new HttpClientTransport(PinnedHandler(server)),
            });

        var token = await credential.GetTokenAsync(new TokenRequestContext([SimulatedTenantDefaults.GraphScope]), CancellationToken.None);
        Assert.Equal(SimulatedTenantDefaults.GraphAudience, new JsonWebToken(token.Token).GetClaim("aud").Value);

        using var http = new HttpClient(PinnedHandler(server));
        var graphBase = $"{server.BaseUrl}/_tenant/graph/v1.0";
        var graph = new GraphServiceClient(
            http,
            new Microsoft.Graph.Authentication.AzureIdentityAuthenticationProvider(
                credential, allowedHosts: ["127.0.0.1"], observabilityOptions: null, isCaeEnabled: false, scopes: SimulatedTenantDefaults.GraphScope),
            graphBase);
        var admin = await graph.Users[SimulatedTenantDefaults.GlobalAdminUpn].GetAsync();
        Assert.Equal("Alex Admin", admin!.DisplayName);

        // Without allowedHosts the provider silently sends no token to a non-Microsoft host: the simulator says 401.
        var unauthenticated = new GraphServiceClient(
            http,
            new Microsoft.Graph.Authentication.AzureIdentityAuthenticationProvider(
                credential, allowedHosts: null, observabilityOptions: null, isCaeEnabled: false, scopes: SimulatedTenantDefaults.GraphScope),
            graphBase);
        var error = await Assert.ThrowsAsync<ODataError>(() => unauthenticated.Users[SimulatedTenantDefaults.GlobalAdminUpn].GetAsync());
        Assert.Equal(401, error.ResponseStatusCode);
    }

    private static HttpClientHandler PinnedHandler(SimulatedTenantServer server) => new()
    {
        ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.RawData.AsSpan().SequenceEqual(server.Certificate!.RawData),
    };

    private async Task<TokenValidationResult> ValidateWithPublishedKeysAsync(string token, string audience)
    {
        var configuration = await new ConfigurationManager<OpenIdConnectConfiguration>(
            $"{tenant.Authority}/.well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(tenant.Http) { RequireHttps = false }).GetConfigurationAsync(CancellationToken.None);

        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = configuration.SigningKeys,
        });
    }
}
