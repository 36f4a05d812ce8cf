using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace B2BPortal.Web.Tests.Security;

/// <summary>
/// Issue 11's web defaults, each tried as an attacker or a careless operator would: headers on every page, the
/// framework's local-URL rule for return URLs, pages that refuse bearer tokens, ID tokens refused as API tokens, and a
/// Production portal that will not serve a simulated tenant unless told to.
/// </summary>
public sealed class WebDefaultsTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/Batches")]
    [InlineData("/Batches/Upload")]
    [InlineData("/Invitations/New")]
    [InlineData("/Audit")]
    [InlineData("/Help")]
    public async Task Page_SignedIn_CarriesCspNosniffAndReferrerPolicy(string path)
    {
        using var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        var html = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(html.Scripts, s => string.IsNullOrEmpty(s.Source));
    }

    [Theory]
    [InlineData("/%09/evil.example")]
    [InlineData("/\t/evil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("/\r\n/evil.example")]
    public void ReturnUrl_OpenRedirectPayload_GoesToTheDashboard(string payload) =>
        Assert.Equal("/", AccountEndpoints.LocalOrHome(Uri.UnescapeDataString(payload)));

    [Theory]
    [InlineData("/Batches?page=2")]
    [InlineData("/")]
    public void ReturnUrl_Local_IsKept(string url) => Assert.Equal(url, AccountEndpoints.LocalOrHome(url));

    [Fact]
    public async Task AutomationBearerToken_OnAPage_IsNotAcceptedAndTheApiStillIs()
    {
        using var client = await portal.CreateAutomationClientAsync();

        var page = await client.GetAsync("/Batches");
        var api = await client.GetAsync("/api/v1/batches");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/authorize", page.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task PortalsIdToken_AsAnApiToken_Gets401()
    {
        var idToken = await IdTokenAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        Assert.Contains("62e90394-69f5-4237-9190-012177145e10", Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(idToken.Split('.')[1])), StringComparison.Ordinal);
        using var client = portal.CreatePortalClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", idToken);

        var response = await client.GetAsync("/api/v1/batches");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://127.0.0.1:9")]
    public void Production_SimulatedTenantWithoutSimulationEnabled_RefusesToStart(string? tenantUrl)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureAd:TenantId"] = "", ["Simulation:TenantUrl"] = tenantUrl })
            .Build();
        var production = new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = Environments.Production };

        var refused = Assert.Throws<InvalidOperationException>(() => TenantConnectionResolver.EnsureTenantConfigured(configuration, production));

        Assert.Contains("Simulation:Enabled=true", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>The portal's own ID token for a person, from the simulated tenant's authorization-code flow (as the portal gets it).</summary>
    private async Task<string> IdTokenAsync(string upn)
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        const string redirect = "http://localhost/signin-oidc";
        var root = $"{portal.Tenant.BaseUrl}/_tenant/{SimulatedTenantDefaults.TenantId}/oauth2/v2.0";
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var authorize = new Uri($"{root}/authorize?client_id={SimulatedTenantDefaults.PortalClientId}&response_type=code&response_mode=query" +
            $"&redirect_uri={Uri.EscapeDataString(redirect)}&scope=openid%20profile&state=s&nonce=n&code_challenge={challenge}&code_challenge_method=S256");
        var page = new HtmlParser().ParseDocument(await browser.GetStringAsync(authorize));
        var form = page.Forms.First(f => f.TextContent.Contains(upn, StringComparison.OrdinalIgnoreCase));
        var button = form.QuerySelectorAll("button").First(b => b.TextContent.Contains(upn, StringComparison.OrdinalIgnoreCase) || (b.GetAttribute("value") ?? "").Contains(upn, StringComparison.OrdinalIgnoreCase));
        var fields = form.QuerySelectorAll("input[type=hidden]").Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? "")).ToList();
        if (button.GetAttribute("name") is { } name)
        {
            fields.Add(new(name, button.GetAttribute("value") ?? ""));
        }

        var answer = await browser.PostAsync(new Uri(authorize, form.GetAttribute("action") ?? authorize.ToString()), new FormUrlEncodedContent(fields));
        var code = System.Web.HttpUtility.ParseQueryString(answer.Headers.Location!.Query)["code"]!;
        var token = await browser.PostAsync($"{root}/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirect,
            ["client_id"] = SimulatedTenantDefaults.PortalClientId,
            ["client_secret"] = SimulatedTenantDefaults.PortalClientSecret,
            ["code_verifier"] = verifier,
        }));
        token.EnsureSuccessStatusCode();
        return (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id_token").GetString()!;
    }
}
