using System.Text;
using B2BPortal.Web.Delivery;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;

namespace B2BPortal.Web.Tests.Delivery;

/// <summary>
/// Sending as the admin, the foundation: the admin signs in through the simulated tenant (code redeemed by MSAL through
/// Microsoft.Identity.Web), and later, outside any request, <see cref="AdminTokens"/> gets that admin's delegated Graph
/// token from the encrypted token cache in the portal's database — or says they must sign in again.
/// </summary>
public sealed class AdminTokensTests : IAsyncLifetime
{
    private readonly ShortTokensPortal _portal = new();

    public Task InitializeAsync() => _portal.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_portal).DisposeAsync();

    [Fact]
    public async Task SignedInAdmin_WorkerGetsDelegatedToken_UntilSessionsAreRevoked_ThenAfterSigningInAgain()
    {
        var admin = _portal.Tenant.Tenant.FindPerson(SimulatedTenantDefaults.GlobalAdminUpn)!;
        using var browser = await _portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);

        // (a) Outside the request: a new scope, no HttpContext, as the dispatcher will ask.
        var token = await AcquireOutsideRequestAsync(admin.Id);
        Assert.False(token.MustSignInAgain, token.SignInAgainReason);
        var jwt = new JsonWebToken(token.AccessToken);
        Assert.Equal("user", jwt.GetClaim("idtyp").Value);
        Assert.Equal(SimulatedTenantDefaults.GraphAudience, jwt.GetClaim("aud").Value);
        Assert.Equal(admin.Id, jwt.GetClaim("oid").Value);
        Assert.Equal(SimulatedTenantDefaults.GlobalAdminUpn, jwt.GetClaim("preferred_username").Value);
        var scopes = jwt.GetClaim("scp").Value.Split(' ');
        Assert.Contains("User.Invite.All", scopes);
        Assert.Contains("Mail.Send", scopes);

        // (b) The cache row is the admin's, and stored encrypted: none of the token cache's JSON or secrets in clear.
        await using (var db = await _portal.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var entry = await db.CacheEntries.SingleAsync(e => e.Key.Contains(admin.Id));
            var stored = Encoding.UTF8.GetString(entry.Value);
            Assert.DoesNotContain("RefreshToken", stored, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("secret", stored, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(SimulatedTenantDefaults.GlobalAdminUpn, stored, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(token.AccessToken!, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(token.AccessToken![..20], stored, StringComparison.Ordinal);
        }

        // (c) Sessions revoked: the short-lived access token is due for renewal, the refresh token is refused.
        using (var revoke = await new HttpClient().PostAsync(
            $"{_portal.Tenant.BaseUrl}/_tenant/people/{SimulatedTenantDefaults.GlobalAdminUpn}/revoke-sessions", null))
        {
            revoke.EnsureSuccessStatusCode();
        }

        var refused = await AcquireOutsideRequestAsync(admin.Id);
        Assert.True(refused.MustSignInAgain);
        Assert.Null(refused.AccessToken);
        Assert.Contains("sign in to the portal again", refused.SignInAgainReason, StringComparison.Ordinal);
        Assert.Contains("revoked", refused.SignInAgainReason, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", refused.ToString(), StringComparison.Ordinal);

        // (d) Signing in again stores a new refresh token: the worker can act as the admin again.
        using var again = await _portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var renewed = await AcquireOutsideRequestAsync(admin.Id);
        Assert.False(renewed.MustSignInAgain, renewed.SignInAgainReason);
        Assert.Equal(admin.Id, new JsonWebToken(renewed.AccessToken).GetClaim("oid").Value);
    }

    [Fact]
    public async Task WorkerOnlyInstance_OnTheSameDatabase_GetsTheAdminsToken()
    {
        var admin = _portal.Tenant.Tenant.FindPerson(SimulatedTenantDefaults.GlobalAdminUpn)!;
        using var browser = await _portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);

        await using var worker = new WorkerPortal();
        worker.SharingTenantAndDatabaseOf(_portal);
        await worker.InitializeAsync();
        var tokens = worker.Services.GetRequiredService<AdminTokens>();

        var token = await tokens.GetGraphTokenAsync(admin.Id, SimulatedTenantDefaults.TenantId, CancellationToken.None);

        Assert.False(token.MustSignInAgain, token.SignInAgainReason);
        Assert.Equal(admin.Id, new JsonWebToken(token.AccessToken).GetClaim("oid").Value);
    }

    [Fact]
    public async Task AdminWhoNeverSignedIn_MustSignIn_NotAnException()
    {
        var person = _portal.Tenant.Tenant.FindPerson(SimulatedTenantDefaults.GlobalAdminUpn)!;

        var token = await AcquireOutsideRequestAsync(person.Id);

        Assert.True(token.MustSignInAgain);
        Assert.Contains("holds no sign-in", token.SignInAgainReason, StringComparison.Ordinal);
    }

    private async Task<AdminToken> AcquireOutsideRequestAsync(string objectId)
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        Assert.Null(scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>().HttpContext);
        return await scope.ServiceProvider.GetRequiredService<AdminTokens>()
            .GetGraphTokenAsync(objectId, SimulatedTenantDefaults.TenantId, CancellationToken.None);
    }

    /// <summary>Tokens live two minutes: inside MSAL's five-minute renewal margin, so every acquisition goes to the token endpoint.</summary>
    private sealed class ShortTokensPortal : PortalFactory
    {
        protected override void ConfigureTenant(SimulatorOptions options) => options.AccessTokenLifetime = TimeSpan.FromMinutes(2);
    }

    private sealed class WorkerPortal : PortalFactory
    {
        protected override string Roles => "worker";
    }
}
