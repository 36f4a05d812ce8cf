using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tests.TestSupport;

namespace B2BPortal.Simulator.Tests.Identity;

/// <summary>POST /_tenant/people/{upn}/revoke-sessions acts as revokeSignInSessions: that person's refresh tokens stop working.</summary>
public sealed class RevokeSessionsTests(SimulatorFixture tenant) : IClassFixture<SimulatorFixture>
{
    private Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        tenant.Http.PostAsync(tenant.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = SimulatedTenantDefaults.PortalClientId,
            ["client_secret"] = SimulatedTenantDefaults.PortalClientSecret,
            ["refresh_token"] = refreshToken,
        }));

    private Task<HttpResponseMessage> RevokeAsync(string upn) =>
        tenant.Http.PostAsync($"{tenant.Server.BaseUrl}/_tenant/people/{upn}/revoke-sessions", null);

    [Fact]
    public async Task RevokeSessions_NextRefreshIsInvalidGrantAADSTS50173_OthersAndNewSignInsUnaffected()
    {
        var revoked = (await tenant.SignInTokensAsync(SimulatedTenantDefaults.GuestInviterUpn))["refresh_token"]!.GetValue<string>();
        var someoneElse = (await tenant.SignInTokensAsync(SimulatedTenantDefaults.GlobalAdminUpn))["refresh_token"]!.GetValue<string>();

        using (var revoke = await RevokeAsync(SimulatedTenantDefaults.GuestInviterUpn))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        using var refused = await RefreshAsync(revoked);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = (await refused.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("invalid_grant", error["error"]!.GetValue<string>());
        Assert.StartsWith("AADSTS50173:", error["error_description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(50173, error["error_codes"]![0]!.GetValue<int>());

        using var other = await RefreshAsync(someoneElse);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        var fresh = (await tenant.SignInTokensAsync(SimulatedTenantDefaults.GuestInviterUpn))["refresh_token"]!.GetValue<string>();
        using var afterSignIn = await RefreshAsync(fresh);
        Assert.Equal(HttpStatusCode.OK, afterSignIn.StatusCode);
    }

    [Fact]
    public async Task RevokeSessions_UnknownPerson_Is404()
    {
        using var response = await RevokeAsync("ghost@contoso.onmicrosoft.com");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
