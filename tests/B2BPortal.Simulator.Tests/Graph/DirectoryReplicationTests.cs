using B2BPortal.Simulator.Tests.TestSupport;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace B2BPortal.Simulator.Tests.Graph;

/// <summary>
/// Entra's directory as Graph reads it: a new guest replicates for a while (troubleshooting, "might take a few minutes"),
/// and an address a member already has is not given to a guest.
/// </summary>
public sealed class DirectoryReplicationTests : IClassFixture<FakeClockSimulatorFixture>
{
    private const string FabrikamGroupId = "6b1f0c2a-1002-4c00-9000-000000000002";
    private const string ExtranetAppId = "c5a1e0b2-2001-4a00-a000-000000000001";

    private readonly FakeClockSimulatorFixture _tenant;

    public DirectoryReplicationTests(FakeClockSimulatorFixture tenant)
    {
        _tenant = tenant;
        tenant.Server.Tenant.Reset();
    }

    [Fact]
    public async Task NewGuest_DuringReplicationDelay_Is404ToReadsGroupAddsAndAssignmentsThenVisible()
    {
        await _tenant.PutFaultsAsync(new { replicationDelaySeconds = 30 });
        var graph = await _tenant.GraphAsync();
        var invitation = await graph.Invitations.PostAsync(new Invitation { InvitedUserEmailAddress = "late@fabrikam.example", InviteRedirectUrl = "https://p" });
        var userId = invitation!.InvitedUser!.Id!;
        var sp = Assert.Single((await graph.ServicePrincipals.GetAsync(r => r.QueryParameters.Filter = $"appId eq '{ExtranetAppId}'"))!.Value!);
        ReferenceCreate Reference() => new() { OdataId = $"https://graph.microsoft.com/v1.0/directoryObjects/{userId}" };
        AppRoleAssignment Assignment() => new() { PrincipalId = Guid.Parse(userId), ResourceId = Guid.Parse(sp.Id!), AppRoleId = sp.AppRoles![0].Id };

        var read = await Assert.ThrowsAsync<ODataError>(() => graph.Users[userId].GetAsync());
        var listed = await graph.Users.GetAsync(r => r.QueryParameters.Filter = "otherMails/any(x:x eq 'late@fabrikam.example')");
        var add = await Assert.ThrowsAsync<ODataError>(() => graph.Groups[FabrikamGroupId].Members.Ref.PostAsync(Reference()));
        var assign = await Assert.ThrowsAsync<ODataError>(() => graph.ServicePrincipals[sp.Id].AppRoleAssignedTo.PostAsync(Assignment()));

        Assert.Equal((404, 404, 404), (read.ResponseStatusCode, add.ResponseStatusCode, assign.ResponseStatusCode));
        Assert.Contains(userId, add.Error!.Message, StringComparison.Ordinal);
        Assert.Empty(listed!.Value!);
        // Inviting the address again still finds the guest: the invitation service is not behind replication.
        var again = await graph.Invitations.PostAsync(new Invitation { InvitedUserEmailAddress = "late@fabrikam.example", InviteRedirectUrl = "https://p" });
        Assert.Equal(userId, again!.InvitedUser!.Id);

        _tenant.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(userId, (await graph.Users[userId].GetAsync())!.Id);
        await graph.Groups[FabrikamGroupId].Members.Ref.PostAsync(Reference());
        await graph.ServicePrincipals[sp.Id].AppRoleAssignedTo.PostAsync(Assignment());
        Assert.Contains(_tenant.Server.Tenant.GroupMembers(FabrikamGroupId), u => u.Id == userId);
    }

    [Fact]
    public async Task Invite_AddressOfAMember_CreatesSeparateGuestWithAddressInOtherMailsOnly()
    {
        var graph = await _tenant.GraphAsync();

        var invitation = await graph.Invitations.PostAsync(new Invitation
        {
            InvitedUserEmailAddress = SimulatedTenantDefaults.MemberWithExternalMail,
            InviteRedirectUrl = "https://p",
        });

        var guest = await graph.Users[invitation!.InvitedUser!.Id].GetAsync(r => r.QueryParameters.Select = ["id", "userType", "mail", "otherMails"]);
        Assert.Equal("Guest", guest!.UserType);
        Assert.Null(guest.Mail);
        Assert.Equal([SimulatedTenantDefaults.MemberWithExternalMail], guest.OtherMails!);
        var both = await graph.Users.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"mail eq '{SimulatedTenantDefaults.MemberWithExternalMail}' or otherMails/any(x:x eq '{SimulatedTenantDefaults.MemberWithExternalMail}')";
            r.QueryParameters.Select = ["id", "userType"];
        });
        Assert.Equal(["Guest", "Member"], both!.Value!.Select(u => u.UserType).Order());
    }

    [Fact]
    public async Task GetUsers_ProxyAddressesFilter_FindsByPrimarySmtpAddress()
    {
        var graph = await _tenant.GraphAsync();

        var found = await graph.Users.GetAsync(r =>
        {
            r.QueryParameters.Filter = $"proxyAddresses/any(x:x eq 'SMTP:{SimulatedTenantDefaults.MemberWithExternalMail}')";
            r.QueryParameters.Select = ["id", "userType", "proxyAddresses"];
        });

        var member = Assert.Single(found!.Value!);
        Assert.Equal("Member", member.UserType);
        Assert.Equal([$"SMTP:{SimulatedTenantDefaults.MemberWithExternalMail}"], member.ProxyAddresses!);
    }
}
