using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tests.TestSupport;

namespace B2BPortal.Simulator.Tests.Graph;

/// <summary>
/// What guest clean-up needs from the tenant, with Entra's checks: signInActivity (AuditLog.Read.All and a P1 licence),
/// DELETE /users/{id} into deleted items (User.ReadWrite.All; User Administrator when delegated; never a role holder),
/// the deleted users' list and restore (docs/graph.md "Guest clean-up").
/// </summary>
public sealed class GuestLifecycleTests : IClassFixture<SimulatorFixture>
{
    private readonly SimulatorFixture _tenant;

    public GuestLifecycleTests(SimulatorFixture tenant)
    {
        _tenant = tenant;
        tenant.Server.Tenant.Reset();
    }

    private string TenantUrl(string path) => $"{_tenant.Server.BaseUrl}/_tenant{path}";

    private async Task<string> InviteAsync(string token, string email)
    {
        using var invited = await _tenant.InviteAsync(token, email, send: false);
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        return (await invited.Content.ReadFromJsonAsync<JsonObject>())!["invitedUser"]!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task SignInActivity_SetThroughTenantEndpoint_IsReturnedOnlyOnSelect()
    {
        var token = await _tenant.TokenAsync();
        var id = await InviteAsync(token, "signin@fabrikam.example");
        using var set = await _tenant.Http.PutAsJsonAsync(TenantUrl($"/users/{id}/sign-in"), new { lastSignInDateTime = "2026-03-04T05:06:07Z" });
        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);

        using var plain = await _tenant.SendGraphAsync(HttpMethod.Get, $"/users/{id}", token: token);
        using var selected = await _tenant.SendGraphAsync(HttpMethod.Get, $"/users?$filter=id in ('{id}')&$select=id,userType,signInActivity", token: token);

        Assert.False((await plain.Content.ReadFromJsonAsync<JsonObject>())!.ContainsKey("signInActivity"));
        var user = Assert.Single((await selected.Content.ReadFromJsonAsync<JsonObject>())!["value"]!.AsArray())!;
        Assert.Equal("Guest", user["userType"]!.GetValue<string>());
        Assert.Equal("2026-03-04T05:06:07Z", user["signInActivity"]!["lastSignInDateTime"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignInActivity_WithoutAuditLogConsentOrP1_Is403AndPlainReadsStillWork()
    {
        using var consent = await _tenant.Http.PutAsJsonAsync(TenantUrl("/consent"), new
        {
            graphPermissions = new[] { "User.Invite.All", "User.Read.All", "User.ReadWrite.All" },
        });
        consent.EnsureSuccessStatusCode();
        var token = await _tenant.TokenAsync();

        using var noConsent = await _tenant.SendGraphAsync(HttpMethod.Get, "/users?$select=id,signInActivity", token: token);
        using var plain = await _tenant.SendGraphAsync(HttpMethod.Get, "/users?$select=id,userType", token: token);
        _tenant.Server.Tenant.Reset();
        using var licence = await _tenant.Http.PutAsJsonAsync(TenantUrl("/licence"), new { p1 = false });
        licence.EnsureSuccessStatusCode();
        using var noLicence = await _tenant.SendGraphAsync(HttpMethod.Get, "/users?$select=id,signInActivity", token: await _tenant.TokenAsync());

        Assert.Equal(HttpStatusCode.Forbidden, noConsent.StatusCode);
        Assert.Equal("Authorization_RequestDenied", (await noConsent.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noLicence.StatusCode);
        Assert.Equal("Authentication_RequestFromNonPremiumTenantOrB2CTenant",
            (await noLicence.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeleteUser_MovesGuestToDeletedItems_RestoreBringsItBackWithItsGroups()
    {
        var token = await _tenant.TokenAsync();
        var id = await InviteAsync(token, "gone@fabrikam.example");
        var group = SimulatedTenantDefaults.Groups[0].Id;
        using var added = await _tenant.SendGraphAsync(HttpMethod.Post, $"/groups/{group}/members/$ref",
            new JsonObject { ["@odata.id"] = $"https://graph.microsoft.com/v1.0/directoryObjects/{id}" }, token);
        added.EnsureSuccessStatusCode();

        using var deleted = await _tenant.SendGraphAsync(HttpMethod.Delete, $"/users/{id}", token: token);
        using var read = await _tenant.SendGraphAsync(HttpMethod.Get, $"/users/{id}", token: token);
        using var bin = await _tenant.SendGraphAsync(HttpMethod.Get, "/directory/deletedItems/microsoft.graph.user?$select=id,userType,deletedDateTime", token: token);
        var membersWhileDeleted = _tenant.Server.Tenant.GroupMembers(group).Count;

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        var item = Assert.Single((await bin.Content.ReadFromJsonAsync<JsonObject>())!["value"]!.AsArray())!;
        Assert.Equal(id, item["id"]!.GetValue<string>());
        Assert.NotNull(item["deletedDateTime"]);
        Assert.Equal(0, membersWhileDeleted);

        using var restored = await _tenant.SendGraphAsync(HttpMethod.Post, $"/directory/deletedItems/{id}/restore", token: token);
        using var again = await _tenant.SendGraphAsync(HttpMethod.Post, $"/directory/deletedItems/{id}/restore", token: token);

        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.Equal("#microsoft.graph.user", (await restored.Content.ReadFromJsonAsync<JsonObject>())!["@odata.type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(id, _tenant.Server.Tenant.FindVisibleUser(id)!.Id);
        Assert.Contains(_tenant.Server.Tenant.GroupMembers(group), u => u.Id == id);
        Assert.Empty(_tenant.Server.Tenant.DeletedUsers());
    }

    [Fact]
    public async Task DeleteUser_WithoutUserReadWriteAll_Is403AndNothingMoves()
    {
        var id = await InviteAsync(await _tenant.TokenAsync(), "kept@fabrikam.example");
        using var consent = await _tenant.Http.PutAsJsonAsync(TenantUrl("/consent"), new { graphPermissions = new[] { "User.Invite.All", "User.Read.All" } });
        consent.EnsureSuccessStatusCode();
        var token = await _tenant.TokenAsync();

        using var deleted = await _tenant.SendGraphAsync(HttpMethod.Delete, $"/users/{id}", token: token);
        using var restore = await _tenant.SendGraphAsync(HttpMethod.Post, $"/directory/deletedItems/{id}/restore", token: token);

        Assert.Equal(HttpStatusCode.Forbidden, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, restore.StatusCode);
        Assert.NotNull(_tenant.Server.Tenant.FindVisibleUser(id));
    }

    [Fact]
    public async Task DeleteUser_Delegated_NeedsUserAdministrator()
    {
        var id = await InviteAsync(await _tenant.TokenAsync(), "delegated@fabrikam.example");
        const string scope = "openid https://graph.microsoft.com/User.ReadWrite.All";
        var employee = await _tenant.UserTokenAsync(SimulatedTenantDefaults.NoRoleUpn, scope);
        var userAdmin = await _tenant.UserTokenAsync(SimulatedTenantDefaults.UserAdminUpn, scope);

        using var refused = await _tenant.SendGraphAsync(HttpMethod.Delete, $"/users/{id}", token: employee);
        using var allowed = await _tenant.SendGraphAsync(HttpMethod.Delete, $"/users/{id}", token: userAdmin);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
    }

    [Fact]
    public async Task DeleteUser_MemberWithDirectoryRole_IsRefused()
    {
        var admin = _tenant.Server.Tenant.FindUser(SimulatedTenantDefaults.GlobalAdminUpn)!;

        using var deleted = await _tenant.SendGraphAsync(HttpMethod.Delete, $"/users/{admin.Id}", token: await _tenant.TokenAsync());

        Assert.Equal(HttpStatusCode.Forbidden, deleted.StatusCode);
        Assert.NotNull(_tenant.Server.Tenant.FindVisibleUser(admin.Id));
    }

    [Fact]
    public async Task Guests_CreatedDirectly_AreAcceptedGuestsTheTenantKnows()
    {
        using var created = await _tenant.Http.PostAsJsonAsync(TenantUrl("/guests"), new { email = "direct@fabrikam.example", displayName = "Direct" });
        using var bad = await _tenant.Http.PostAsJsonAsync(TenantUrl("/guests"), new { email = "not an address" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var user = _tenant.Server.Tenant.FindVisibleUser(id)!;
        Assert.Equal(("Guest", "Accepted"), (user.UserType, user.ExternalUserState));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
