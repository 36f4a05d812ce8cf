using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace B2BPortal.Simulator.Tests.TestSupport;

/// <summary>A simulated tenant on a real Kestrel port, shared by the tests of one class (each test resets it).</summary>
public class SimulatorFixture : IAsyncLifetime
{
    private readonly Action<SimulatorOptions>? _configure;

    public SimulatorFixture()
        : this(null)
    {
    }

    protected SimulatorFixture(Action<SimulatorOptions>? configure) => _configure = configure;

    public SimulatedTenantServer Server { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string GraphBaseUrl => $"{Server.BaseUrl}/_tenant/graph/v1.0";

    public string Authority => $"{Server.BaseUrl}/_tenant/{SimulatedTenantDefaults.TenantId}/v2.0";

    public string TokenEndpoint => $"{Server.BaseUrl}/_tenant/{SimulatedTenantDefaults.TenantId}/oauth2/v2.0/token";

    public async Task InitializeAsync() => Server = await SimulatedTenantServer.StartAsync(configure: _configure);

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }

    public async Task<HttpResponseMessage> RequestTokenAsync(string clientId, string secret, string scope) =>
        await Http.PostAsync(TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = scope,
        }));

    public async Task<string> TokenAsync(
        string clientId = SimulatedTenantDefaults.PortalClientId,
        string secret = SimulatedTenantDefaults.PortalClientSecret,
        string scope = SimulatedTenantDefaults.GraphScope)
    {
        using var response = await RequestTokenAsync(clientId, secret, scope);
        response.EnsureSuccessStatusCode();
        var json = await response.Content.ReadFromJsonAsync<JsonObject>();
        return json!["access_token"]!.GetValue<string>();
    }

    /// <summary>
    /// Signs a person in the way a browser would (authorize form, then the code grant) and returns the token response:
    /// a delegated Graph token for <paramref name="scope"/> and, with offline_access, a refresh token.
    /// </summary>
    public async Task<JsonObject> SignInTokensAsync(string upn, string scope = "openid offline_access https://graph.microsoft.com/User.Invite.All")
    {
        const string redirectUri = "http://127.0.0.1/signin-oidc";
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var browser = new HttpClient(handler);
        using var signedIn = await browser.PostAsync(Authority.Replace("/v2.0", "/oauth2/v2.0/authorize", StringComparison.Ordinal), new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["client_id"] = SimulatedTenantDefaults.PortalClientId,
                ["redirect_uri"] = redirectUri,
                ["response_type"] = "code",
                ["scope"] = scope,
                ["upn"] = upn,
            }));
        var code = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(signedIn.Headers.Location!.Query)["code"].ToString();

        using var response = await Http.PostAsync(TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = SimulatedTenantDefaults.PortalClientId,
            ["client_secret"] = SimulatedTenantDefaults.PortalClientSecret,
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
        }));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>A delegated Graph access token: the person signed in through the portal's app registration.</summary>
    public async Task<string> UserTokenAsync(string upn, string scope = "openid offline_access https://graph.microsoft.com/User.Invite.All") =>
        (await SignInTokensAsync(upn, scope))["access_token"]!.GetValue<string>();

    /// <summary>Sets the tenant's guest invite setting through <c>PUT /_tenant/policy</c>.</summary>
    public async Task PutPolicyAsync(string allowInvitesFrom)
    {
        using var response = await Http.PutAsJsonAsync($"{Server.BaseUrl}/_tenant/policy", new { allowInvitesFrom });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The real Graph SDK pointed at the simulator, with the portal client's app-only token.</summary>
    public async Task<GraphServiceClient> GraphAsync(string? token = null)
    {
        token ??= await TokenAsync();
        return new GraphServiceClient(Http, new BaseBearerTokenAuthenticationProvider(new StaticTokenProvider(token)), GraphBaseUrl);
    }

    /// <summary>A raw Graph call, for shapes and failures the SDK would hide or retry.</summary>
    public async Task<HttpResponseMessage> SendGraphAsync(HttpMethod method, string path, object? body = null, string? token = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, $"{GraphBaseUrl}{path}");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(
                body is JsonNode node ? node.ToJsonString() : System.Text.Json.JsonSerializer.Serialize(body),
                Encoding.UTF8,
                "application/json");
        }

        return await (client ?? Http).SendAsync(request);
    }

    public Task<HttpResponseMessage> InviteAsync(string token, string email, bool send = true) =>
        SendGraphAsync(HttpMethod.Post, "/invitations", new
        {
            invitedUserEmailAddress = email,
            inviteRedirectUrl = "https://portal.example/welcome",
            sendInvitationMessage = send,
        }, token);

    public async Task PutFaultsAsync(object faults)
    {
        using var response = await Http.PutAsJsonAsync($"{Server.BaseUrl}/_tenant/faults", faults);
        response.EnsureSuccessStatusCode();
    }

    private sealed class StaticTokenProvider(string token) : IAccessTokenProvider
    {
        public AllowedHostsValidator AllowedHostsValidator { get; } = new();

        public Task<string> GetAuthorizationTokenAsync(
            Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(token);
    }
}

/// <summary>A tenant whose clock only moves when the test says so: latency, timeouts and the invitation window become deterministic.</summary>
public sealed class FakeClockSimulatorFixture : SimulatorFixture
{
    public FakeClockSimulatorFixture()
        : this(new FakeTimeProvider(DateTimeOffset.UtcNow))
    {
    }

    private FakeClockSimulatorFixture(FakeTimeProvider time)
        : base(o => o.TimeProvider = time) => Time = time;

    public FakeTimeProvider Time { get; }
}
