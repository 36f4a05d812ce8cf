using B2BPortal.Web.Delivery;

namespace B2BPortal.Web.Tests.Delivery;

/// <summary>
/// Group adds sent together (members@odata.bind, up to 20 per write) against the simulated tenant, which applies such a
/// request all or nothing as Graph does.
/// </summary>
public sealed class GroupAddsTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private SimulatedTenantServer _tenant = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _tenant = await SimulatedTenantServer.StartAsync(https: false);
    }

    public async Task DisposeAsync() => await _tenant.DisposeAsync();

    [Fact]
    public async Task Add_TwentyFiveGuestsAtOnce_TwoWritesOfAtMostTwenty()
    {
        using var host = DeliveryHarness.BuildHost(DeliveryHarness.TestSettings(database.ConnectionString, _tenant.BaseUrl));
        var adds = host.Services.GetRequiredService<GroupAdds>();
        var group = _tenant.Tenant.Groups[0].Id;
        var guests = Enumerable.Range(1, 25).Select(i => _tenant.Tenant.AddGuest($"many{i}@fabrikam.example", null).Id).ToList();

        var outcomes = await Task.WhenAll(guests.Select(g => adds.AddAsync(group, g, CancellationToken.None)));

        Assert.All(outcomes, o => Assert.IsType<Completed>(o));
        Assert.Equal(guests.Order(), _tenant.Tenant.GroupMembers(group).Select(u => u.Id).Order());
        Assert.Equal(2, _tenant.Tenant.Stats.Requests("PATCH /groups/{id}"));
    }

    [Fact]
    public async Task Add_OneGuestAlreadyAMember_TheOthersAreAddedOneByOneAndAllAreDone()
    {
        using var host = DeliveryHarness.BuildHost(DeliveryHarness.TestSettings(database.ConnectionString, _tenant.BaseUrl));
        var adds = host.Services.GetRequiredService<GroupAdds>();
        var group = _tenant.Tenant.Groups[1].Id;
        var guests = Enumerable.Range(1, 4).Select(i => _tenant.Tenant.AddGuest($"member{i}@fabrikam.example", null).Id).ToList();
        Assert.IsType<Completed>(await adds.AddAsync(group, guests[2], CancellationToken.None));

        var outcomes = await Task.WhenAll(guests.Select(g => adds.AddAsync(group, g, CancellationToken.None)));

        Assert.All(outcomes, o => Assert.IsType<Completed>(o));
        Assert.Equal(4, _tenant.Tenant.GroupMembers(group).Count);
        // The single add, the refused request of four, then each of the four on its own ("already a member" is done).
        Assert.Equal((2, 4), (_tenant.Tenant.Stats.Requests("PATCH /groups/{id}"), _tenant.Tenant.Stats.Requests("POST /groups/{id}/members/$ref")));
    }

    [Fact]
    public async Task Add_OneGuestNotReplicatedYet_OnlyThatGuestWaitsAndTheOthersAreAdded()
    {
        using var host = DeliveryHarness.BuildHost(DeliveryHarness.TestSettings(database.ConnectionString, _tenant.BaseUrl));
        var adds = host.Services.GetRequiredService<GroupAdds>();
        var group = _tenant.Tenant.Groups[0].Id;
        var visible = Enumerable.Range(1, 3).Select(i => _tenant.Tenant.AddGuest($"seen{i}@fabrikam.example", null).Id).ToList();
        await DeliveryHarness.SetFaultsAsync(_tenant, new { replicationDelaySeconds = 600 });
        var invited = await host.Services.GetRequiredService<GraphGateway>().InviteAsync(
            new InvitationRequest("late@fabrikam.example", null, "https://contoso.example", false, null, null), CancellationToken.None);
        var late = Assert.IsType<Invited>(invited).UserId;

        var outcomes = await Task.WhenAll(visible.Append(late).Select(g => adds.AddAsync(group, g, CancellationToken.None)));

        Assert.All(outcomes.Take(3), o => Assert.IsType<Completed>(o));
        Assert.Equal(late, Assert.IsType<NotYetVisible>(outcomes[3]).UserId);
        Assert.Equal(visible.Order(), _tenant.Tenant.GroupMembers(group).Select(u => u.Id).Order());
    }

    [Fact]
    public async Task Add_UnknownGroup_EveryGuestGetsGroupNotFound()
    {
        using var host = DeliveryHarness.BuildHost(DeliveryHarness.TestSettings(database.ConnectionString, _tenant.BaseUrl));
        var adds = host.Services.GetRequiredService<GroupAdds>();
        var guests = Enumerable.Range(1, 3).Select(i => _tenant.Tenant.AddGuest($"nogroup{i}@fabrikam.example", null).Id).ToList();

        var unknown = Guid.NewGuid().ToString();

        var outcomes = await Task.WhenAll(guests.Select(g => adds.AddAsync(unknown, g, CancellationToken.None)));

        Assert.All(outcomes, o => Assert.StartsWith("Group not found:", Assert.IsType<PermanentFailure>(o).Message, StringComparison.Ordinal));
    }
}
