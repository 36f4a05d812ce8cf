using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tests.TestSupport;

namespace B2BPortal.Simulator.Tests.Graph;

/// <summary>Graph's sponsors of a user: who may add them (permission and, delegated, the person's role), what reads see.</summary>
public sealed class SponsorTests : IClassFixture<SimulatorFixture>
{
    private const string WriteScope = "openid offline_access https://graph.microsoft.com/User.ReadWrite.All";

    private readonly SimulatorFixture _tenant;

    public SponsorTests(SimulatorFixture tenant)
    {
        _tenant = tenant;
        tenant.Server.Tenant.Reset();
    }

    private static object Reference(string userId) => new Dictionary<string, string>
    {
        ["@odata.id"] = $"https://graph.microsoft.com/v1.0/users/{userId}",
    };

    private async Task<string> InviteGuestAsync(string email)
    {
        using var invited = await _tenant.InviteAsync(await _tenant.TokenAsync(), email, send: false);
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        return (await invited.Content.ReadFromJsonAsync<JsonObject>())!["invitedUser"]!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task AddSponsor_AppOnlyWithUserReadWriteAll_ListsSponsorAndRefusesDuplicate()
    {
        var guest = await InviteGuestAsync("sponsored@fabrikam.example");
        var employee = _tenant.Server.Tenant.FindUser(SimulatedTenantDefaults.NoRoleUpn)!.Id;
        var token = await _tenant.TokenAsync();

        using var added = await _tenant.SendGraphAsync(HttpMethod.Post, $"/users/{guest}/sponsors/$ref", Reference(employee), token);
        Assert.Equal(HttpStatusCode.NoContent, added.StatusCode);

        using var again = await _tenant.SendGraphAsync(HttpMethod.Post, $"/users/{guest}/sponsors/$ref", Reference(employee), token);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("'sponsors'", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var listed = await _tenant.SendGraphAsync(HttpMethod.Get, $"/users/{guest}/sponsors", token: token);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var sponsors = (await listed.Content.ReadFromJsonAsync<JsonObject>())!["value"]!.AsArray();
        var sponsor = Assert.Single(sponsors)!;
        Assert.Equal(employee, sponsor["id"]!.GetValue<string>());
        Assert.Equal("#microsoft.graph.user", sponsor["@odata.type"]!.GetValue<string>());
        Assert.Equal([employee], _tenant.Server.Tenant.Sponsors(guest).Select(u => u.Id));
    }

    [Fact]
    public async Task AddSponsor_DelegatedGuestInviter_IsRefusedWithoutItsRole()
    {
        var guest = await InviteGuestAsync("inviters-guest@fabrikam.example");
        var employee = _tenant.Server.Tenant.FindUser(SimulatedTenantDefaults.NoRoleUpn)!.Id;

        using var refused = await _tenant.SendGraphAsync(
            HttpMethod.Post, $"/users/{guest}/sponsors/$ref", Reference(employee), await _tenant.UserTokenAsync(SimulatedTenantDefaults.GuestInviterUpn, WriteScope));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Authorization_RequestDenied", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var byUserAdmin = await _tenant.SendGraphAsync(
            HttpMethod.Post, $"/users/{guest}/sponsors/$ref", Reference(employee), await _tenant.UserTokenAsync(SimulatedTenantDefaults.UserAdminUpn, WriteScope));
        Assert.Equal(HttpStatusCode.NoContent, byUserAdmin.StatusCode);
        Assert.Single(_tenant.Server.Tenant.Sponsors(guest));
    }

    [Fact]
    public async Task AddSponsor_WithoutUserReadWriteAll_IsForbidden()
    {
        var guest = await InviteGuestAsync("unsponsored@fabrikam.example");
        var employee = _tenant.Server.Tenant.FindUser(SimulatedTenantDefaults.NoRoleUpn)!.Id;

        using var refused = await _tenant.SendGraphAsync(
            HttpMethod.Post, $"/users/{guest}/sponsors/$ref", Reference(employee), await _tenant.UserTokenAsync(SimulatedTenantDefaults.GlobalAdminUpn));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Empty(_tenant.Server.Tenant.Sponsors(guest));
    }
}
