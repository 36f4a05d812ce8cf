using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tests.TestSupport;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace B2BPortal.Simulator.Tests.Identity;

/// <summary>The real ASP.NET Core OpenID Connect handler signs a person in through the simulator's sign-in page.</summary>
public sealed class SignInTests(SimulatorFixture tenant) : IClassFixture<SimulatorFixture>
{
    [Theory]
    [InlineData(OpenIdConnectResponseMode.FormPost)]
    [InlineData(OpenIdConnectResponseMode.Query)]
    public async Task CodeFlowWithPkce_GuestInviterSignsIn_ClientSeesRolesAndName(string responseMode)
    {
        await using var client = await ClientApp.StartWithOpenIdConnectAsync(tenant.Authority, responseMode);

        var claims = await client.SignInAsync( SimulatedTenantDefaults.GuestInviterUpn);

        Assert.Equal(SimulatedTenantDefaults.GuestInviterUpn, claims["preferred_username"]!.GetValue<string>());
        Assert.Equal("Gray Inviter", claims["name"]!.GetValue<string>());
        Assert.Equal(SimulatedTenantDefaults.TenantId, claims["tid"]!.GetValue<string>());
        Assert.Equal(SimulatedTenantDefaults.GuestInviterRoleId, claims["wids"]!.GetValue<string>());
        Assert.Equal("0a1b2c3d-0002-4000-8000-000000000002", claims["oid"]!.GetValue<string>());
        Assert.Equal(tenant.Authority, claims["claim_issuer"]!.GetValue<string>());
    }

    [Fact]
    public async Task CodeFlow_PersonWithoutRole_HasNoWidsClaim()
    {
        await using var client = await ClientApp.StartWithOpenIdConnectAsync(tenant.Authority, OpenIdConnectResponseMode.FormPost);

        var claims = await client.SignInAsync( SimulatedTenantDefaults.NoRoleUpn);

        Assert.Equal(SimulatedTenantDefaults.NoRoleUpn, claims["preferred_username"]!.GetValue<string>());
        Assert.Null(claims["wids"]);
    }

    [Fact]
    public async Task SignInPage_ListsEveryPersonAsButtonWithUpn()
    {
        var html = await tenant.Http.GetStringAsync(
            $"{tenant.Authority.Replace("/v2.0", "/oauth2/v2.0/authorize", StringComparison.Ordinal)}"
            + $"?client_id={SimulatedTenantDefaults.PortalClientId}&response_type=code&redirect_uri=http://127.0.0.1/cb&scope=openid");

        foreach (var upn in new[]
        {
            SimulatedTenantDefaults.GlobalAdminUpn, SimulatedTenantDefaults.GuestInviterUpn,
            SimulatedTenantDefaults.UserAdminUpn, SimulatedTenantDefaults.NoRoleUpn,
        })
        {
            Assert.Matches($"<button type=\"submit\">[^<]*\\({System.Text.RegularExpressions.Regex.Escape(upn)}\\)[^<]*</button></form>", html);
        }
    }

    [Fact]
    public async Task TokenEndpoint_WrongCodeVerifier_IsRejected()
    {
        var authorize = tenant.Authority.Replace("/v2.0", "/oauth2/v2.0/authorize", StringComparison.Ordinal);
        var challenge = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(
            System.Security.Cryptography.SHA256.HashData("the-right-verifier-the-right-verifier-0123"u8.ToArray()));
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler);
        var page = await http.GetStringAsync(
            $"{authorize}?client_id={SimulatedTenantDefaults.PortalClientId}&response_type=code&redirect_uri=http://127.0.0.1/cb"
            + $"&scope=openid%20offline_access&code_challenge={challenge}&code_challenge_method=S256&state=s1&nonce=n1");
        var (action, fields) = HtmlForms.Find(page, SimulatedTenantDefaults.GlobalAdminUpn);
        using var redirect = await http.PostAsync(action, new FormUrlEncodedContent(fields));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(redirect.Headers.Location!.Query);
        Assert.Equal("s1", query["state"].ToString());

        Task<HttpResponseMessage> Redeem(string verifier) => http.PostAsync(tenant.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = SimulatedTenantDefaults.PortalClientId,
            ["client_secret"] = SimulatedTenantDefaults.PortalClientSecret,
            ["code"] = query["code"].ToString(),
            ["redirect_uri"] = "http://127.0.0.1/cb",
            ["code_verifier"] = verifier,
        }));

        using var wrong = await Redeem("not-the-verifier-not-the-verifier-0123456789");
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("invalid_grant", (await wrong.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());

        // The code was spent by the failed attempt, as codes are single use.
        using var right = await Redeem("the-right-verifier-the-right-verifier-0123");
        Assert.Equal(HttpStatusCode.BadRequest, right.StatusCode);
    }

    [Fact]
    public async Task RefreshToken_GivesNewTokensForSamePerson()
    {
        await using var client = await ClientApp.StartWithOpenIdConnectAsync(tenant.Authority, OpenIdConnectResponseMode.FormPost);
        var claims = await client.SignInAsync( SimulatedTenantDefaults.UserAdminUpn);
        var refreshToken = claims["refresh_token"]!.GetValue<string>();

        using var response = await tenant.Http.PostAsync(tenant.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = SimulatedTenantDefaults.PortalClientId,
            ["client_secret"] = SimulatedTenantDefaults.PortalClientSecret,
            ["refresh_token"] = refreshToken,
        }));

        response.EnsureSuccessStatusCode();
        var tokens = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var idToken = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(tokens["id_token"]!.GetValue<string>());
        Assert.Equal(SimulatedTenantDefaults.UserAdminUpn, idToken.GetClaim("preferred_username").Value);
        Assert.NotEqual(refreshToken, tokens["refresh_token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Logout_RedirectsToPostLogoutUriWithState()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false };
        using var http = new HttpClient(handler);
        var logout = tenant.Authority.Replace("/v2.0", "/oauth2/v2.0/logout", StringComparison.Ordinal);

        using var response = await http.GetAsync($"{logout}?post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%2Fsignout-callback-oidc&state=abc");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("http://127.0.0.1/signout-callback-oidc?state=abc", response.Headers.Location!.ToString());
    }
}
