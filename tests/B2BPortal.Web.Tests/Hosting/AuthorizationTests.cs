using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace B2BPortal.Web.Tests.Hosting;

public sealed partial class AuthorizationTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    /// <summary>Every endpoint the app maps (pages, API, OpenAPI), with a concrete URL and method, except the deliberately public ones.</summary>
    private IReadOnlyList<(string Method, string Url)> ProtectedEndpoints()
    {
        var endpoints = portal.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .ToList();
        var result = new List<(string, string)>();
        foreach (var endpoint in endpoints)
        {
            var url = "/" + RouteParameter().Replace(endpoint.RoutePattern.RawText!.TrimStart('/'), m => m.Value switch
            {
                _ when m.Value.Contains(":guid", StringComparison.Ordinal) => Guid.NewGuid().ToString(),
                "{documentName}" => "v1",
                _ => "1",
            });
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
            result.AddRange(methods.Select(m => (m, url)));
        }

        return result;
    }

    [Fact]
    public async Task Anonymous_EveryProtectedEndpoint_IsChallenged()
    {
        var endpoints = ProtectedEndpoints();
        Assert.True(endpoints.Any(e => e.Url.StartsWith("/api/v1/batches", StringComparison.Ordinal)), string.Join("\n", endpoints));
        Assert.Contains(endpoints, e => e.Url == "/Batches/Upload");
        Assert.Contains(endpoints, e => e.Url == "/openapi/v1.json");

        using var client = portal.CreatePortalClient();
        var failures = new List<string>();
        foreach (var (method, url) in endpoints)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method is "POST" or "PUT")
            {
                request.Content = new StringContent("");
            }

            using var response = await client.SendAsync(request);
            var isApi = url.StartsWith("/api/", StringComparison.Ordinal) || url.StartsWith("/openapi/", StringComparison.Ordinal);
            var ok = isApi
                ? response.StatusCode == HttpStatusCode.Unauthorized
                : response.StatusCode == HttpStatusCode.Redirect
                    && response.Headers.Location!.ToString().StartsWith($"{portal.Tenant.BaseUrl}/_tenant/{SimulatedTenantDefaults.TenantId}/oauth2/v2.0/authorize", StringComparison.Ordinal);
            if (!ok)
            {
                failures.Add($"{method} {url} → {(int)response.StatusCode} {response.Headers.Location}");
            }
        }

        Assert.Empty(failures);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Anonymous_HealthEndpoints_AreOpen(string path)
    {
        using var client = portal.CreatePortalClient();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignedInWithoutRole_Page_Shows403NamingTheRole()
    {
        using var client = await portal.SignInAsync(SimulatedTenantDefaults.NoRoleUpn);
        var response = await client.GetAsync("/Batches");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Denied", response.Headers.Location!.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var denied = await client.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        var html = await denied.Content.ReadAsStringAsync();
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        Assert.Equal("You don't have access to B2B Portal", document.QuerySelector("h1")!.TextContent);
        Assert.Contains("<strong>Global Administrator</strong>", html, StringComparison.Ordinal);
        Assert.Contains(SimulatedTenantDefaults.NoRoleUpn, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignedInWithoutRole_Api_Gets403()
    {
        using var client = await portal.SignInAsync(SimulatedTenantDefaults.NoRoleUpn);
        var response = await client.GetAsync("/api/v1/batches");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task GlobalAdministrator_ByDefault_IsAllowed()
    {
        using var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var page = await client.GetAsync("/Batches");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(SimulatedTenantDefaults.GlobalAdminUpn, await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var api = await client.GetAsync("/api/v1/batches");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Theory]
    [InlineData(SimulatedTenantDefaults.GuestInviterUpn)]
    [InlineData(SimulatedTenantDefaults.UserAdminUpn)]
    public async Task OtherRoles_NotConfigured_AreDenied(string upn)
    {
        using var client = await portal.SignInAsync(upn);
        var response = await client.GetAsync("/Batches");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Denied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AutomationClient_WithAppRole_IsAllowed()
    {
        using var client = await portal.CreateAutomationClientAsync();
        var response = await client.GetAsync("/api/v1/batches");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ApiToken_WithoutAppRole_Gets403()
    {
        // The portal's own registration can get a token for the API but does not hold the app role.
        using var client = await portal.CreateApiClientAsync(SimulatedTenantDefaults.PortalClientId, SimulatedTenantDefaults.PortalClientSecret);
        var response = await client.GetAsync("/api/v1/batches");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task ApiToken_Forged_Gets401()
    {
        using var client = portal.CreatePortalClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlcyI6WyJJbnZpdGF0aW9ucy5TZW5kIl19.c2lnbmF0dXJl");
        var response = await client.GetAsync("/api/v1/batches");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/Batches/Upload")]
    [InlineData("/Invitations/New")]
    public async Task PagePost_WithoutAntiforgeryToken_Gets400(string path)
    {
        using var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = "a@b.com" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ApiPost_WithCookieButNoAntiforgeryToken_Gets400()
    {
        using var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var response = await client.PostAsync($"/api/v1/batches/{Guid.NewGuid()}/resend", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("antiforgery", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        using var client = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var page = await client.GetAsync("/Batches");
        var token = AntiforgeryToken(await page.Content.ReadAsStringAsync());
        var signOut = await client.PostAsync("/Account/SignOut", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Contains("/oauth2/v2.0/logout", signOut.Headers.Location!.ToString(), StringComparison.Ordinal);

        var after = await client.GetAsync("/Batches");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/oauth2/v2.0/authorize", after.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    internal static string AntiforgeryToken(string html) =>
        AntiforgeryInput().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No antiforgery token on the page.");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}

/// <summary>Guest Inviter and User Administrator are allowed once configured.</summary>
public sealed class ConfiguredRolesFactory : PortalFactory
{
    public ConfiguredRolesFactory()
    {
        With("Portal:Access:DirectoryRoles:0", EntraRoles.GlobalAdministrator);
        With("Portal:Access:DirectoryRoles:1", EntraRoles.GuestInviter);
        With("Portal:Access:DirectoryRoles:2", EntraRoles.UserAdministrator);
    }
}

public sealed class ConfiguredRolesTests(ConfiguredRolesFactory portal) : IClassFixture<ConfiguredRolesFactory>
{
    [Theory]
    [InlineData(SimulatedTenantDefaults.GlobalAdminUpn)]
    [InlineData(SimulatedTenantDefaults.GuestInviterUpn)]
    [InlineData(SimulatedTenantDefaults.UserAdminUpn)]
    public async Task ConfiguredRole_IsAllowed(string upn)
    {
        using var client = await portal.SignInAsync(upn);
        var response = await client.GetAsync("/Batches");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
