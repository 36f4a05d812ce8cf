using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace B2BPortal.Web.Tests.Hosting;

/// <summary>
/// Scale-out: data-protection keys live in the database, so the auth cookie and the antiforgery token one instance
/// issued are accepted by another instance on the same database (and refused by one on another database).
/// </summary>
public sealed class SharedKeysTests : IAsyncLifetime
{
    private readonly PortalFactory _first = new();
    private PortalFactory _second = null!;
    private PortalFactory _stranger = null!;

    public async Task InitializeAsync()
    {
        await _first.InitializeAsync();
        _second = new PortalFactory();
        await _second.InitializeAsync();
        _second.With("ConnectionStrings:Portal", _first.ConnectionString);
        _stranger = new PortalFactory();
        await _stranger.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (IAsyncLifetime factory in (PortalFactory[])[_stranger, _second, _first])
        {
            await factory.DisposeAsync();
        }
    }

    [Fact]
    public async Task CookieAndAntiforgeryToken_FromOneInstance_AreAcceptedByAnotherOnTheSameDatabase()
    {
        var cookies = new CookieContainer();
        using var first = _first.CreateDefaultClient(new CookieContainerHandler(cookies));
        await OidcSignIn.RunAsync(first, SimulatedTenantDefaults.GlobalAdminUpn);
        var page = await first.GetAsync("/Batches");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var token = AuthorizationTests.AntiforgeryToken(await page.Content.ReadAsStringAsync());

        // The second instance has never seen this person: it reads the cookie and the token with the shared keys.
        using var second = _second.CreateDefaultClient(new CookieContainerHandler(cookies));
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/batches")).StatusCode);
        var cancel = await PostWithTokenAsync(second, token);
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);

        await using (var db = _second.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext())
        {
            Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
        }

        // Control: an instance with its own database (its own key ring) cannot read the cookie.
        using var stranger = _stranger.CreateDefaultClient(new CookieContainerHandler(cookies));
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/v1/batches")).StatusCode);
    }

    private static async Task<HttpResponseMessage> PostWithTokenAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/batches/{Guid.NewGuid()}/cancel");
        request.Headers.Add("X-CSRF-TOKEN", token);
        return await client.SendAsync(request);
    }
}
