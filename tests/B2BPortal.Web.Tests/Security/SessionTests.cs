using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace B2BPortal.Web.Tests.Security;

/// <summary>
/// Issue 11's session rules: a sign-in lasts at most Portal:Session:AbsoluteLifetime (8 h) however often the sliding
/// cookie is renewed, and only the configured tenant's people and clients get in (tid). The cookies here are sealed with
/// the portal's own keys, exactly as the portal seals them, so each one differs from a real sign-in in one respect only.
/// </summary>
public sealed class SessionTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private const string OtherTenantId = "0f0e0d0c-0b0a-4909-8807-060504030201";

    [Fact]
    public async Task Cookie_SignedInAnHourAgo_OpensThePage()
    {
        using var client = ClientWithCookie(signedInAgo: TimeSpan.FromHours(1), SimulatedTenantDefaults.TenantId);

        var response = await client.GetAsync("/Help");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Cookie_RenewedButSignedInNineHoursAgo_IsRefusedAndSignsInAgain()
    {
        // The cookie itself is fresh (issued now, 8 sliding hours left): only the sign-in time is past the absolute lifetime.
        using var client = ClientWithCookie(signedInAgo: TimeSpan.FromHours(9), SimulatedTenantDefaults.TenantId);

        var response = await client.GetAsync("/Help");

        AssertSentToSignIn(response);
    }

    [Fact]
    public async Task Cookie_WithoutASignInTime_IsRefused()
    {
        using var client = ClientWithCookie(signedInAgo: null, SimulatedTenantDefaults.TenantId);

        AssertSentToSignIn(await client.GetAsync("/Help"));
    }

    [Fact]
    public async Task Cookie_OfAnotherTenant_IsRefused()
    {
        using var client = ClientWithCookie(signedInAgo: TimeSpan.FromMinutes(1), OtherTenantId);

        AssertSentToSignIn(await client.GetAsync("/Help"));
    }

    [Fact]
    public async Task RealSignIn_StampsTheSignInTime()
    {
        using var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);

        // A real sign-in's cookie carries the sign-in time: without it the cookie would be refused and this a redirect.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Help")).StatusCode);
    }

    [Fact]
    public async Task SignInToken_OfAnotherTenant_FailsAtSignIn()
    {
        var options = portal.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OpenIdConnectDefaults.AuthenticationScheme);
        var scheme = new AuthenticationScheme(OpenIdConnectDefaults.AuthenticationScheme, null, typeof(OpenIdConnectHandler));
        var context = new Microsoft.AspNetCore.Authentication.OpenIdConnect.TokenValidatedContext(
            new DefaultHttpContext { RequestServices = portal.Services }, scheme, options, Person(OtherTenantId), new AuthenticationProperties());

        await options.Events.TokenValidated(context);

        Assert.NotNull(context.Result?.Failure);
        Assert.Contains("tid", context.Result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiToken_OfAnotherTenant_Fails()
    {
        var options = portal.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        var scheme = new AuthenticationScheme(JwtBearerDefaults.AuthenticationScheme, null, typeof(JwtBearerHandler));
        var app = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("azp", SimulatedTenantDefaults.AutomationClientId), new Claim("tid", OtherTenantId), new Claim("roles", "Invitations.Send")], "Bearer"));
        var context = new Microsoft.AspNetCore.Authentication.JwtBearer.TokenValidatedContext(
            new DefaultHttpContext { RequestServices = portal.Services }, scheme, options) { Principal = app };

        await options.Events.TokenValidated(context);

        Assert.NotNull(context.Result?.Failure);
        Assert.Contains("tid", context.Result.Failure.Message, StringComparison.Ordinal);
    }

    private static void AssertSentToSignIn(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/authorize", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    private static ClaimsPrincipal Person(string tenantId) => new(new ClaimsIdentity(
        [
            new Claim("oid", "5b6c7d8e-9f00-4a1b-8c2d-3e4f5a6b7c8d"),
            new Claim("tid", tenantId),
            new Claim("preferred_username", SimulatedTenantDefaults.GlobalAdminUpn),
            new Claim("name", "Admin"),
            new Claim("wids", SimulatedTenantDefaults.GlobalAdministratorRoleId),
        ],
        "AuthenticationTypes.Federation",
        "name",
        "roles"));

    /// <summary>A client holding a sign-in cookie issued now (8 sliding hours left) for a person who signed in <paramref name="signedInAgo"/>.</summary>
    private HttpClient ClientWithCookie(TimeSpan? signedInAgo, string tenantId)
    {
        var cookie = portal.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        var now = DateTimeOffset.UtcNow;
        var properties = new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddHours(8) };
        if (signedInAgo is { } ago)
        {
            properties.Items[SessionChecks.SignedInAtItem] = (now - ago).ToString("O", CultureInfo.InvariantCulture);
        }

        var ticket = new AuthenticationTicket(Person(tenantId), properties, CookieAuthenticationDefaults.AuthenticationScheme);
        var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", $"{AuthenticationSetup.AuthCookieName}={cookie.TicketDataFormat.Protect(ticket)}");
        return client;
    }
}
