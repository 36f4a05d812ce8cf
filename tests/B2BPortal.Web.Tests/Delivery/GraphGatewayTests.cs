using B2BPortal.Web.Delivery;

namespace B2BPortal.Web.Tests.Delivery;

/// <summary>The gateway against the simulated tenant over plain HTTP, with the simulator's bearer-token check.</summary>
public sealed class GraphGatewayTests : IAsyncLifetime
{
    private SimulatedTenantServer _tenant = null!;
    private GraphGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _tenant = await SimulatedTenantServer.StartAsync(https: false);

        // Patient, so a cold or busy 2-core machine (JIT, token fetch) is never mistaken for Graph not answering.
        _gateway = NewGateway(TimeSpan.FromSeconds(20));
    }

    private GraphGateway NewGateway(TimeSpan graphTimeout)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureAd:TenantId"] = "", ["Simulation:TenantUrl"] = _tenant.BaseUrl })
            .Build();
        return new GraphGateway(
            new TenantConnectionResolver(configuration),
            GraphHttp.Clients,
            Options.Create(new DeliveryOptions { GraphTimeout = graphTimeout }),
            TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        _gateway.Dispose();
        await _tenant.DisposeAsync();
    }

    [Fact]
    public async Task Invite_ServiceUnavailable_TransientAfterExactlyOnePost()
    {
        await DeliveryHarness.SetFaultsAsync(_tenant, new { serverErrorRate = 1.0 });

        var outcome = await _gateway.InviteAsync(Request("once@partner.example"), CancellationToken.None);

        Assert.IsType<Transient>(outcome);
        Assert.Equal(1, _tenant.Tenant.Stats.Requests("POST /invitations"));
        Assert.Empty(_tenant.Tenant.Mailbox());
    }

    [Fact]
    public async Task Invite_Throttled_ReturnsRetryAfterWithoutResending()
    {
        await DeliveryHarness.SetFaultsAsync(_tenant, new { throttleRate = 1.0, retryAfterSeconds = 7 });

        var outcome = await _gateway.InviteAsync(Request("wait@partner.example"), CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(7), Assert.IsType<Throttled>(outcome).RetryAfter);
        Assert.Equal(1, _tenant.Tenant.Stats.Requests("POST /invitations"));
    }

    [Fact]
    public async Task Invite_NoAnswerInTime_TransientAfterExactlyOnePost()
    {
        using var impatient = NewGateway(TimeSpan.FromSeconds(2));
        await impatient.EnsureTokenAsync(CancellationToken.None);
        await DeliveryHarness.SetFaultsAsync(_tenant, new { timeoutRate = 1.0 });

        var outcome = await impatient.InviteAsync(Request("slow@partner.example"), CancellationToken.None);

        Assert.IsType<Transient>(outcome);
        Assert.Equal(1, _tenant.Tenant.Stats.Requests("POST /invitations"));
    }

    [Fact]
    public async Task Invite_VerifiedDomain_PermanentFailureWithGraphsMessage()
    {
        var outcome = await _gateway.InviteAsync(Request($"someone@{SimulatedTenantDefaults.CustomDomain}"), CancellationToken.None);

        Assert.Contains("verified domain of this directory", Assert.IsType<PermanentFailure>(outcome).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_AbuseBlock_TenantBlocked()
    {
        await DeliveryHarness.SetFaultsAsync(_tenant, new { abuseBlockAfter = 0 });

        var outcome = await _gateway.InviteAsync(Request("blocked@partner.example"), CancellationToken.None);

        Assert.Contains("suspicious activity", Assert.IsType<TenantBlocked>(outcome).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FindGuestByEmail_AfterInvitation_FindsTheSameGuest()
    {
        var invited = Assert.IsType<Invited>(await _gateway.InviteAsync(Request("Found.Me@partner.example"), CancellationToken.None));

        var found = await _gateway.FindGuestByEmailAsync("found.me@partner.example", CancellationToken.None);
        var missing = await _gateway.FindGuestByEmailAsync("o'neil@partner.example", CancellationToken.None);

        Assert.Equal(invited.UserId, Assert.IsType<GuestFound>(found).UserId);
        Assert.IsType<GuestNotFound>(missing);
    }

    [Fact]
    public async Task AddToGroup_Twice_SecondCountsAsDone()
    {
        var invited = Assert.IsType<Invited>(await _gateway.InviteAsync(Request("member@partner.example"), CancellationToken.None));
        var group = _tenant.Tenant.Groups[0].Id;

        Assert.IsType<Completed>(await _gateway.AddToGroupAsync(group, invited.UserId, CancellationToken.None));
        Assert.IsType<Completed>(await _gateway.AddToGroupAsync(group, invited.UserId, CancellationToken.None));
        Assert.IsType<PermanentFailure>(await _gateway.AddToGroupAsync(Guid.NewGuid().ToString(), invited.UserId, CancellationToken.None));
        Assert.Single(_tenant.Tenant.GroupMembers(group), u => u.Id == invited.UserId);
    }

    [Fact]
    public async Task AssignApp_SameAppTwice_ResolvesServicePrincipalOnce()
    {
        var first = Assert.IsType<Invited>(await _gateway.InviteAsync(Request("one@partner.example"), CancellationToken.None));
        var second = Assert.IsType<Invited>(await _gateway.InviteAsync(Request("two@partner.example"), CancellationToken.None));
        var app = _tenant.Tenant.Applications[1];

        Assert.IsType<Completed>(await _gateway.AssignAppAsync(app.AppId, first.UserId, CancellationToken.None));
        Assert.IsType<Completed>(await _gateway.AssignAppAsync(app.AppId, second.UserId, CancellationToken.None));
        Assert.IsType<Completed>(await _gateway.AssignAppAsync(app.AppId, second.UserId, CancellationToken.None));

        Assert.Equal(1, _tenant.Tenant.Stats.Requests("GET /servicePrincipals"));
        Assert.Equal(2, _tenant.Tenant.AppRoleAssignedTo(app.ServicePrincipalId).Count);
    }

    [Fact]
    public async Task RedemptionReads_OneAccepted_BothReadsFindOnlyThatGuest()
    {
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(Assert.IsType<Invited>(await _gateway.InviteAsync(Request($"r{i}@partner.example"), CancellationToken.None)).UserId);
        }

        var redeemUrl = _tenant.Tenant.Mailbox().Single(m => m.To == "r7@partner.example").RedeemUrl;
        using (var http = new HttpClient())
        {
            using var response = await http.PostAsync(new Uri(redeemUrl), null);
            response.EnsureSuccessStatusCode();
        }

        var byId = await _gateway.GetRedemptionStatesAsync(ids, CancellationToken.None);
        var byState = await _gateway.GetAcceptedGuestsAsync(changedSince: null, CancellationToken.None);

        Assert.Null(byId.Failure);
        Assert.Equal(1, byId.Requests);
        Assert.Equal([ids[7]], byId.Accepted.Keys);
        Assert.NotNull(byId.Accepted[ids[7]]);
        Assert.Null(byState.Failure);
        Assert.Equal([ids[7]], ids.Where(byState.Accepted.ContainsKey));
        Assert.Equal(1, _tenant.Tenant.Stats.Requests("POST /$batch"));
    }

    [Fact]
    public async Task AcceptedGuests_ChangedSince_ReadsOnlyLaterAcceptances()
    {
        var first = Assert.IsType<Invited>(await _gateway.InviteAsync(Request("early@partner.example"), CancellationToken.None));
        var second = Assert.IsType<Invited>(await _gateway.InviteAsync(Request("late@partner.example"), CancellationToken.None));
        Assert.True(_tenant.Tenant.AcceptInvitation(first.RedeemUrl!));
        var since = DateTime.UtcNow.AddSeconds(1);
        await Eventually.Until(() => Task.FromResult(DateTime.UtcNow), now => now > since, "the clock passed the watermark", TimeSpan.FromSeconds(5));
        Assert.True(_tenant.Tenant.AcceptInvitation(second.RedeemUrl!));

        var all = await _gateway.GetAcceptedGuestsAsync(changedSince: null, CancellationToken.None);
        var later = await _gateway.GetAcceptedGuestsAsync(since, CancellationToken.None);

        Assert.Contains(first.UserId, all.Accepted.Keys);
        Assert.Contains(second.UserId, all.Accepted.Keys);
        Assert.Equal([second.UserId], later.Accepted.Keys);
        Assert.Null(later.Failure);
    }

    [Fact]
    public async Task RedemptionReads_429InsideBatch_StopsAtThatBatchWithItsRetryAfter()
    {
        // 700 ids are three $batch requests; every request inside the first is throttled with its own Retry-After.
        var ids = Enumerable.Range(0, 700).Select(_ => Guid.NewGuid().ToString()).ToList();
        await DeliveryHarness.SetFaultsAsync(_tenant, new { throttleRate = 1.0, retryAfterSeconds = 9 });

        var read = await _gateway.GetRedemptionStatesAsync(ids, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(9), Assert.IsType<Throttled>(read.Failure).RetryAfter);
        Assert.Equal(1, read.Requests);
        Assert.Equal(1, _tenant.Tenant.Stats.Requests("POST /$batch"));
    }

    private static InvitationRequest Request(string email) =>
        new(email, "Guest", "https://myapps.microsoft.com", SendInvitationMessage: true, "en-US", null);
}
