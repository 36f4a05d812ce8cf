using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tests.TestSupport;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace B2BPortal.Simulator.Tests;

/// <summary>
/// Mounted in-process in a host like the portal (fallback policy demanding sign-in, antiforgery, cookie auth), every
/// /_tenant endpoint still answers as it does standalone.
/// </summary>
public sealed class SimulatedTenantExtensionsTests : IAsyncLifetime
{
    private WebApplication _host = null!;
    private string _baseUrl = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        builder.Services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddAntiforgery();
        builder.Services.AddSimulatedTenant();
        _host = builder.Build();
        _host.UseAuthentication();
        _host.UseAuthorization();
        _host.UseAntiforgery();
        _host.MapGet("/portal-page", () => "secret");
        _host.MapSimulatedTenant();
        await _host.StartAsync();
        _baseUrl = _host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task InProcess_HostPolicyProtectsHostButNotTenant()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler);

        using var portalPage = await http.GetAsync($"{_baseUrl}/portal-page");
        using var about = await http.GetAsync($"{_baseUrl}/_tenant/about");
        using var faults = await http.PutAsJsonAsync($"{_baseUrl}/_tenant/faults", new { latencyMs = 0 });
        using var reset = await http.PostAsync($"{_baseUrl}/_tenant/reset", null);

        Assert.Equal(HttpStatusCode.Redirect, portalPage.StatusCode);
        Assert.Equal(HttpStatusCode.OK, about.StatusCode);
        Assert.Equal(HttpStatusCode.OK, faults.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        var aboutJson = (await about.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal($"{_baseUrl}/_tenant/graph/v1.0", aboutJson["graphBaseUrl"]!.GetValue<string>());
    }

    [Fact]
    public async Task InProcess_FormPostsNeedNoAntiforgeryAndGraphAnswers401NotRedirect()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler);
        var root = $"{_baseUrl}/_tenant/{SimulatedTenantDefaults.TenantId}";

        using var tokenResponse = await http.PostAsync($"{root}/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = SimulatedTenantDefaults.PortalClientId,
            ["client_secret"] = SimulatedTenantDefaults.PortalClientSecret,
            ["scope"] = SimulatedTenantDefaults.GraphScope,
        }));
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();

        var page = await http.GetStringAsync(
            $"{root}/oauth2/v2.0/authorize?client_id={SimulatedTenantDefaults.PortalClientId}&response_type=code"
            + "&redirect_uri=http%3A%2F%2F127.0.0.1%2Fsignin-oidc&scope=openid&response_mode=form_post&state=xyz");
        var (action, fields) = HtmlForms.Find(page, SimulatedTenantDefaults.GlobalAdminUpn);
        using var signIn = await http.PostAsync(action, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("name=\"code\"", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var anonymousGraph = await http.GetAsync($"{_baseUrl}/_tenant/graph/v1.0/users");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousGraph.StatusCode);

        using var invite = new HttpRequestMessage(HttpMethod.Post, $"{_baseUrl}/_tenant/graph/v1.0/invitations")
        {
            Content = JsonContent.Create(new { invitedUserEmailAddress = "inproc@fabrikam.example", inviteRedirectUrl = "https://p" }),
        };
        invite.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var invited = await http.SendAsync(invite);
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var redeemUrl = (await invited.Content.ReadFromJsonAsync<JsonObject>())!["inviteRedeemUrl"]!.GetValue<string>();

        using var accepted = await http.PostAsync(redeemUrl, new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }
}
