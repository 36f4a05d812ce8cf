using System.Net;
using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tests.TestSupport;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;

namespace B2BPortal.Simulator.Tests.Graph;

/// <summary>
/// <c>PATCH /groups/{id}</c> with <c>members@odata.bind</c> (Graph's Add members: "up to only 20" members in one request),
/// through the real SDK: one write for up to 20 members, all or nothing.
/// </summary>
public sealed class GroupMembersBindTests : IClassFixture<FakeClockSimulatorFixture>
{
    private const string FabrikamGroupId = "6b1f0c2a-1002-4c00-9000-000000000002";

    private readonly FakeClockSimulatorFixture _tenant;

    public GroupMembersBindTests(FakeClockSimulatorFixture tenant)
    {
        _tenant = tenant;
        tenant.Server.Tenant.Reset();
    }

    [Fact]
    public async Task Bind_TwentyGuests_AddsAllAsOneWrite()
    {
        await _tenant.PutFaultsAsync(new { writesPer150s = 1 });
        var graph = await _tenant.GraphAsync();
        var guests = await InviteAsync(graph, 20);

        var late = await InviteAsync(graph, 1, "late");

        await graph.Groups[FabrikamGroupId].PatchAsync(Bind(guests));
        var next = await Assert.ThrowsAsync<ODataError>(() => graph.Groups[FabrikamGroupId].PatchAsync(Bind(late)));

        Assert.Equal(guests.Order(), _tenant.Server.Tenant.GroupMembers(FabrikamGroupId).Select(u => u.Id).Order());
        Assert.Equal(429, next.ResponseStatusCode); // the quota of one write was spent by the twenty
    }

    [Fact]
    public async Task Bind_OneAlreadyMember_RefusesTheWholeRequestAndAddsNobody()
    {
        var graph = await _tenant.GraphAsync();
        var guests = await InviteAsync(graph, 3);
        await graph.Groups[FabrikamGroupId].PatchAsync(Bind([guests[1]]));

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Groups[FabrikamGroupId].PatchAsync(Bind(guests)));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Equal("One or more added object references already exist for the following modified properties: 'members'.", error.Error!.Message);
        Assert.Equal([guests[1]], _tenant.Server.Tenant.GroupMembers(FabrikamGroupId).Select(u => u.Id));
    }

    [Fact]
    public async Task Bind_GuestStillReplicating_Is404NamingItAndAddsNobody()
    {
        var graph = await _tenant.GraphAsync();
        var visible = await InviteAsync(graph, 2);
        await _tenant.PutFaultsAsync(new { replicationDelaySeconds = 30 });
        var late = Assert.Single(await InviteAsync(graph, 1, "late"));

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Groups[FabrikamGroupId].PatchAsync(Bind([visible[0], late, visible[1]])));
        _tenant.Time.Advance(TimeSpan.FromSeconds(30));
        await graph.Groups[FabrikamGroupId].PatchAsync(Bind([visible[0], late, visible[1]]));

        Assert.Equal(404, error.ResponseStatusCode);
        Assert.Contains(late, error.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(3, _tenant.Server.Tenant.GroupMembers(FabrikamGroupId).Count);
    }

    [Fact]
    public async Task Bind_TwentyOneMembers_Is400AndAddsNobody()
    {
        var graph = await _tenant.GraphAsync();
        var guests = await InviteAsync(graph, 21);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Groups[FabrikamGroupId].PatchAsync(Bind(guests)));

        Assert.Equal(400, error.ResponseStatusCode);
        Assert.Contains("at most 20 members", error.Error!.Message, StringComparison.Ordinal);
        Assert.Empty(_tenant.Server.Tenant.GroupMembers(FabrikamGroupId));
    }

    [Fact]
    public async Task Bind_UnknownGroup_Is404()
    {
        var graph = await _tenant.GraphAsync();
        var guests = await InviteAsync(graph, 1);

        var error = await Assert.ThrowsAsync<ODataError>(() => graph.Groups[Guid.NewGuid().ToString()].PatchAsync(Bind(guests)));

        Assert.Equal(404, error.ResponseStatusCode);
    }

    [Fact]
    public async Task Patch_OtherGroupProperty_IsRefusedNotIgnored()
    {
        var token = await _tenant.TokenAsync();

        using var response = await _tenant.SendGraphAsync(HttpMethod.Patch, $"/groups/{FabrikamGroupId}",
            new JsonObject { ["displayName"] = "Renamed" }, token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("displayName", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Group Bind(IEnumerable<string> userIds) => new()
    {
        AdditionalData = new Dictionary<string, object>
        {
            ["members@odata.bind"] = userIds.Select(id => $"https://graph.microsoft.com/v1.0/directoryObjects/{id}").ToList(),
        },
    };

    private static async Task<List<string>> InviteAsync(Microsoft.Graph.GraphServiceClient graph, int count, string prefix = "bind")
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var invitation = await graph.Invitations.PostAsync(new Invitation { InvitedUserEmailAddress = $"{prefix}{i}@fabrikam.example", InviteRedirectUrl = "https://p" });
            ids.Add(invitation!.InvitedUser!.Id!);
        }

        return ids;
    }
}
