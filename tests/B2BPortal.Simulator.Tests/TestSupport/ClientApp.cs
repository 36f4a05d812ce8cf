using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace B2BPortal.Simulator.Tests.TestSupport;

/// <summary>A tiny web app that signs people in against the simulator; <c>/me</c> shows the signed-in claims.</summary>
public sealed class ClientApp(WebApplication app, string baseUrl) : IAsyncDisposable
{
    public string BaseUrl { get; } = baseUrl;

    /// <summary>The ASP.NET Core OpenID Connect handler with PKCE.</summary>
    public static Task<ClientApp> StartWithOpenIdConnectAsync(string authority, string responseMode) => StartAsync(services => services
        .AddAuthentication(o =>
        {
            o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
        })
        .AddCookie()
        .AddOpenIdConnect(o =>
        {
            o.Authority = authority;
            o.ClientId = SimulatedTenantDefaults.PortalClientId;
            o.ClientSecret = SimulatedTenantDefaults.PortalClientSecret;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.ResponseMode = responseMode;
            o.UsePkce = true;
            o.RequireHttpsMetadata = false;
            o.MapInboundClaims = false;
            o.SaveTokens = true;
            o.Scope.Add("offline_access");
            AllowPlainHttpCookies(o);
        }));

    /// <summary>Plain HTTP in the tests: the correlation and nonce cookies cannot be Secure-only.</summary>
    public static void AllowPlainHttpCookies(OpenIdConnectOptions options)
    {
        options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.NonceCookie.SameSite = SameSiteMode.Lax;
    }

    public static async Task<ClientApp> StartAsync(Action<IServiceCollection> addAuthentication)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        addAuthentication(builder.Services);
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseDeveloperExceptionPage(); // a failed sign-in then says why in the assertion message
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", async (HttpContext context) =>
        {
            var json = new JsonObject();
            foreach (var claim in context.User.Claims)
            {
                json[claim.Type] = claim.Value;
            }

            json["claim_issuer"] = context.User.Claims.First().Issuer;
            json["refresh_token"] = await context.GetTokenAsync("refresh_token");
            return Results.Json(json);
        }).RequireAuthorization();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ClientApp(app, address.TrimEnd('/'));
    }

    /// <summary>Follows redirects and forms like a browser: protected page → authorize → person's button → callback → page.</summary>
    public async Task<JsonObject> SignInAsync(string upn)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler);

        using var challenge = await browser.GetAsync($"{BaseUrl}/me");
        await ExpectAsync(challenge, HttpStatusCode.Redirect);
        var authorizeUrl = challenge.Headers.Location!.ToString();
        Assert.Contains("code_challenge_method=S256", authorizeUrl, StringComparison.Ordinal);

        var signInPage = await browser.GetStringAsync(authorizeUrl);
        var (action, fields) = HtmlForms.Find(signInPage, upn);
        using var signedIn = await browser.PostAsync(action, new FormUrlEncodedContent(fields));

        HttpResponseMessage callback;
        if (signedIn.StatusCode == HttpStatusCode.Redirect)
        {
            callback = await browser.GetAsync(signedIn.Headers.Location);
        }
        else
        {
            var (callbackUrl, callbackFields) = HtmlForms.Find(await signedIn.Content.ReadAsStringAsync(), "name=\"code\"");
            callback = await browser.PostAsync(callbackUrl, new FormUrlEncodedContent(callbackFields));
        }

        using (callback)
        {
            await ExpectAsync(callback, HttpStatusCode.Redirect);
            Assert.EndsWith("/me", callback.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        using var me = await browser.GetAsync($"{BaseUrl}/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        return (await me.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            Assert.Fail($"Expected {expected} but got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
