using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace B2BPortal.Simulator.Tests.Identity;

/// <summary>
/// The secure authority: browsers on plain HTTP, issuer, tokens and keys on the HTTPS listener (MSAL refuses HTTP
/// authorities), one issuer whichever listener issued a token, and the certificate's fingerprint for clients to pin.
/// </summary>
public sealed class SecureAuthorityTests : IAsyncLifetime
{
    private SimulatedTenantServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await SimulatedTenantServer.StartAsync(secureAuthority: true);
        _http = new HttpClient(new HttpClientHandler
        {
            // Pinned: only the simulator's own certificate.
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.RawData.AsSpan().SequenceEqual(_server.Certificate!.RawData),
        });
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Discovery_OnEitherListener_SendsBrowsersToHttp_AndEverythingElseToHttps(bool overHttps)
    {
        var tenant = $"/_tenant/{SimulatedTenantDefaults.TenantId}";
        var base_ = overHttps ? _server.SecureBaseUrl : _server.BaseUrl;

        var discovery = (await _http.GetFromJsonAsync<JsonObject>($"{base_}{tenant}/v2.0/.well-known/openid-configuration"))!;

        Assert.StartsWith("http://", _server.BaseUrl, StringComparison.Ordinal);
        Assert.StartsWith("https://", _server.SecureBaseUrl, StringComparison.Ordinal);
        Assert.Equal($"{_server.SecureBaseUrl}{tenant}/v2.0", discovery["issuer"]!.GetValue<string>());
        Assert.Equal($"{_server.SecureBaseUrl}{tenant}/oauth2/v2.0/token", discovery["token_endpoint"]!.GetValue<string>());
        Assert.Equal($"{_server.SecureBaseUrl}{tenant}/discovery/v2.0/keys", discovery["jwks_uri"]!.GetValue<string>());
        Assert.Equal($"{_server.BaseUrl}{tenant}/oauth2/v2.0/authorize", discovery["authorization_endpoint"]!.GetValue<string>());
        Assert.Equal($"{_server.BaseUrl}{tenant}/oauth2/v2.0/logout", discovery["end_session_endpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task TokenFromThePlainListener_CarriesTheHttpsIssuer_AndAboutPublishesTheFingerprint()
    {
        using var response = await _http.PostAsync(
            $"{_server.BaseUrl}/_tenant/{SimulatedTenantDefaults.TenantId}/oauth2/v2.0/token",
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = SimulatedTenantDefaults.PortalClientId,
                ["client_secret"] = SimulatedTenantDefaults.PortalClientSecret,
                ["scope"] = SimulatedTenantDefaults.GraphScope,
            }));
        response.EnsureSuccessStatusCode();
        var token = new JsonWebToken((await response.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>());
        Assert.Equal($"{_server.SecureBaseUrl}/_tenant/{SimulatedTenantDefaults.TenantId}/v2.0", token.Issuer);

        var about = (await _http.GetFromJsonAsync<JsonObject>($"{_server.BaseUrl}/_tenant/about"))!;
        Assert.Equal(_server.SecureBaseUrl, about["secureBaseUrl"]!.GetValue<string>());
        Assert.Equal(_server.CertificateSha256, about["certificateSha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task CodeGrant_WithClientInfoRequested_ReturnsTheHomeAccountIds()
    {
        var admin = _server.Tenant.FindPerson(SimulatedTenantDefaults.GlobalAdminUpn)!;
        var code = await SignInAsync();

        using var response = await _http.PostAsync(
            $"{_server.SecureBaseUrl}/{SimulatedTenantDefaults.TenantId}/oauth2/v2.0/token",
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["client_id"] = SimulatedTenantDefaults.PortalClientId,
                ["client_secret"] = SimulatedTenantDefaults.PortalClientSecret,
                ["code"] = code,
                ["redirect_uri"] = RedirectUri,
                ["client_info"] = "1",
            }));
        response.EnsureSuccessStatusCode();
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        var clientInfo = JsonNode.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(body["client_info"]!.GetValue<string>())))!;
        Assert.Equal(admin.Id, clientInfo["uid"]!.GetValue<string>());
        Assert.Equal(SimulatedTenantDefaults.TenantId, clientInfo["utid"]!.GetValue<string>());
        Assert.Equal(3599, body["expires_in"]!.GetValue<int>());
    }

    private const string RedirectUri = "http://127.0.0.1/signin-oidc";

    private async Task<string> SignInAsync()
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var signedIn = await browser.PostAsync(
            $"{_server.BaseUrl}/_tenant/{SimulatedTenantDefaults.TenantId}/oauth2/v2.0/authorize",
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["client_id"] = SimulatedTenantDefaults.PortalClientId,
                ["redirect_uri"] = RedirectUri,
                ["response_type"] = "code",
                ["scope"] = "openid offline_access https://graph.microsoft.com/User.Invite.All",
                ["upn"] = SimulatedTenantDefaults.GlobalAdminUpn,
            }));
        var location = signedIn.Headers.Location!;
        return System.Web.HttpUtility.ParseQueryString(location.Query)["code"]!;
    }
}
