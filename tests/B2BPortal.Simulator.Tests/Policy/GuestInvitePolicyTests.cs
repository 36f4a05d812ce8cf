using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tests.TestSupport;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace B2BPortal.Simulator.Tests.Policy;

/// <summary>The guest invite setting: /_tenant/policy, Graph's authorizationPolicy, and Entra's enforcement on POST /invitations.</summary>
public sealed class GuestInvitePolicyTests : IClassFixture<SimulatorFixture>
{
    private const string PolicyScope = "openid https://graph.microsoft.com/Policy.Read.All";

    private readonly SimulatorFixture _tenant;

    public GuestInvitePolicyTests(SimulatorFixture tenant)
    {
        _tenant = tenant;
        tenant.Server.Tenant.Reset();
    }

    private string PolicyUrl => $"{_tenant.Server.BaseUrl}/_tenant/policy";

    [Fact]
    public async Task Policy_NewTenant_IsEveryoneAndGraphServesAuthorizationPolicy()
    {
        var graph = await _tenant.GraphAsync();

        var policy = await graph.Policies.AuthorizationPolicy.GetAsync();
        var own = (await _tenant.Http.GetFromJsonAsync<JsonObject>(PolicyUrl))!;

        Assert.Equal("authorizationPolicy", policy!.Id);
        Assert.Equal(AllowInvitesFrom.Everyone, policy.AllowInvitesFrom);
        Assert.Equal("Authorization Policy", policy.DisplayName);
        Assert.Equal("everyone", own["allowInvitesFrom"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutPolicy_ChangesWhatGraphServes_AndResetRestoresEveryone()
    {
        using var put = await _tenant.Http.PutAsJsonAsync(PolicyUrl, new { allowInvitesFrom = "adminsAndGuestInviters" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var graph = await _tenant.GraphAsync();

        Assert.Equal(AllowInvitesFrom.AdminsAndGuestInviters, (await graph.Policies.AuthorizationPolicy.GetAsync())!.AllowInvitesFrom);
        Assert.Equal("adminsAndGuestInviters", (await _tenant.Http.GetFromJsonAsync<JsonObject>(PolicyUrl))!["allowInvitesFrom"]!.GetValue<string>());

        using var reset = await _tenant.Http.PostAsync($"{_tenant.Server.BaseUrl}/_tenant/reset", null);
        Assert.Equal(AllowInvitesFrom.Everyone, (await graph.Policies.AuthorizationPolicy.GetAsync())!.AllowInvitesFrom);
    }

    [Theory]
    [InlineData("adminsOnly")]
    [InlineData("")]
    public async Task PutPolicy_UnknownValue_Is400WithMessageAndKeepsSetting(string value)
    {
        using var put = await _tenant.Http.PutAsJsonAsync(PolicyUrl, new { allowInvitesFrom = value });

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("allowInvitesFrom must be one of", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("everyone", _tenant.Server.Tenant.AllowInvitesFrom);
    }

    [Fact]
    public async Task Organization_AppOnly_ServesVerifiedDomains_AndNeedsOrganizationReadAll()
    {
        var graph = await _tenant.GraphAsync();

        var organization = Assert.Single((await graph.Organization.GetAsync(r => r.QueryParameters.Select = ["id", "verifiedDomains"]))!.Value!);
        Assert.Equal(SimulatedTenantDefaults.TenantId, organization.Id);
        Assert.Equal(
            [SimulatedTenantDefaults.PrimaryDomain, SimulatedTenantDefaults.CustomDomain],
            organization.VerifiedDomains!.Select(d => d.Name));
        Assert.True(organization.VerifiedDomains!.Single(d => d.Name == SimulatedTenantDefaults.PrimaryDomain).IsInitial);

        Assert.Null(_tenant.Server.Tenant.SetPortalGraphConsent(_tenant.Server.Tenant.PortalGraphConsent.Where(p => p != "Organization.Read.All").ToList()));
        var refused = await Assert.ThrowsAsync<ODataError>(async () => await (await _tenant.GraphAsync()).Organization.GetAsync());
        Assert.Equal((403, "Authorization_RequestDenied"), (refused.ResponseStatusCode, refused.Error!.Code));
    }

    [Fact]
    public async Task Organization_Delegated_UserReadIsEnough()
    {
        var withUserRead = await _tenant.UserTokenAsync(SimulatedTenantDefaults.NoRoleUpn, "openid https://graph.microsoft.com/User.Read");
        var without = await _tenant.UserTokenAsync(SimulatedTenantDefaults.NoRoleUpn);

        using var allowed = await _tenant.SendGraphAsync(HttpMethod.Get, "/organization", token: withUserRead);
        using var refused = await _tenant.SendGraphAsync(HttpMethod.Get, "/organization", token: without);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task AuthorizationPolicy_DelegatedNeedsPolicyReadAllScope()
    {
        var withScope = await _tenant.UserTokenAsync(SimulatedTenantDefaults.NoRoleUpn, PolicyScope);
        var withoutScope = await _tenant.UserTokenAsync(SimulatedTenantDefaults.NoRoleUpn);

        using var allowed = await _tenant.SendGraphAsync(HttpMethod.Get, "/policies/authorizationPolicy", token: withScope);
        using var refused = await _tenant.SendGraphAsync(HttpMethod.Get, "/policies/authorizationPolicy", token: withoutScope);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Theory]
    [InlineData("adminsAndGuestInviters")]
    [InlineData("adminsGuestInvitersAndAllMembers")]
    [InlineData("none")]
    public async Task Invite_AppOnlyWhenRestricted_Gets403WithGraphErrorBodyAndCreatesNothing(string setting)
    {
        await _tenant.PutPolicyAsync(setting);
        var usersBefore = _tenant.Server.Tenant.Users().Count;

        using var response = await _tenant.InviteAsync(await _tenant.TokenAsync(), "app-only@fabrikam.example");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("Authorization_RequestDenied", error["code"]!.GetValue<string>());
        Assert.Equal(
            "Guest invitations not allowed for your company. Contact your company administrator for more details.",
            error["message"]!.GetValue<string>());
        Assert.NotNull(error["innerError"]!["request-id"]);
        Assert.Equal(usersBefore, _tenant.Server.Tenant.Users().Count);
        Assert.Empty(_tenant.Server.Tenant.Mailbox());
    }

    [Fact]
    public async Task Invite_AppOnlyUnderEveryone_IsAcceptedAndNamesTheApplication()
    {
        using var response = await _tenant.InviteAsync(await _tenant.TokenAsync(), "app@fabrikam.example");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("B2B Portal", Assert.Single(_tenant.Server.Tenant.Mailbox()).InvitedBy);
    }

    [Theory]
    [InlineData(SimulatedTenantDefaults.GuestInviterUpn)]
    [InlineData(SimulatedTenantDefaults.GlobalAdminUpn)]
    [InlineData(SimulatedTenantDefaults.UserAdminUpn)]
    public async Task Invite_DelegatedByInvitingRoleUnderAdminsAndGuestInviters_IsAcceptedAsThatPerson(string upn)
    {
        await _tenant.PutPolicyAsync("adminsAndGuestInviters");
        var graph = await _tenant.GraphAsync(await _tenant.UserTokenAsync(upn));

        var invitation = await graph.Invitations.PostAsync(new Invitation
        {
            InvitedUserEmailAddress = "delegated@fabrikam.example",
            InviteRedirectUrl = "https://portal.example",
            SendInvitationMessage = true,
        });

        Assert.Equal("PendingAcceptance", invitation!.Status);
        Assert.Equal(upn, Assert.Single(_tenant.Server.Tenant.Mailbox()).InvitedBy);
    }

    [Fact]
    public async Task Invite_DelegatedByPersonWithoutRole_RefusedUnderAdminsAndGuestInvitersButNotForAllMembers()
    {
        var graph = await _tenant.GraphAsync(await _tenant.UserTokenAsync(SimulatedTenantDefaults.NoRoleUpn));
        Invitation Invitation() => new() { InvitedUserEmailAddress = "norole@fabrikam.example", InviteRedirectUrl = "https://portal.example" };

        await _tenant.PutPolicyAsync("adminsAndGuestInviters");
        var refused = await Assert.ThrowsAsync<ODataError>(() => graph.Invitations.PostAsync(Invitation()));
        await _tenant.PutPolicyAsync("adminsGuestInvitersAndAllMembers");
        var allowed = await graph.Invitations.PostAsync(Invitation());

        Assert.Equal(403, refused.ResponseStatusCode);
        Assert.Equal("Authorization_RequestDenied", refused.Error!.Code);
        Assert.Equal("PendingAcceptance", allowed!.Status);
    }

    [Theory]
    [InlineData(SimulatedTenantDefaults.GlobalAdminUpn)]
    [InlineData(SimulatedTenantDefaults.GuestInviterUpn)]
    [InlineData(SimulatedTenantDefaults.NoRoleUpn)]
    public async Task Invite_None_RefusesEveryoneIncludingAdmins(string upn)
    {
        await _tenant.PutPolicyAsync("none");

        using var response = await _tenant.InviteAsync(await _tenant.UserTokenAsync(upn), "nobody@fabrikam.example");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Authorization_RequestDenied", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
