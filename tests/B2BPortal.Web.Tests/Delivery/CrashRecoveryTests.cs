using B2BPortal.Web.Delivery;
using Microsoft.Extensions.Time.Testing;

namespace B2BPortal.Web.Tests.Delivery;

/// <summary>Workers that die or stop mid-row: nothing lost, nobody emailed twice.</summary>
public sealed class CrashRecoveryTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private SimulatedTenantServer _tenant = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _tenant = await SimulatedTenantServer.StartAsync(https: false);
    }

    public async Task DisposeAsync() => await _tenant.DisposeAsync();

    [Fact]
    public async Task Reclaim_WorkerDiedAfterGraphAcceptedTheInvitation_AdoptsGuestWithoutSecondEmail()
    {
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(3));

        // The dead worker: it claimed the rows ten minutes ago, invited the first guest, and died before writing.
        var settings = DeliveryHarness.TestSettings(database.ConnectionString, _tenant.BaseUrl);
        settings["Portal:Roles"] = "web";
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-10));
        using (var dead = DeliveryHarness.BuildHost(settings, past))
        {
            var claimed = await dead.Services.GetRequiredService<InvitationQueue>().ClaimAsync("dead-worker", 5, CancellationToken.None);
            Assert.Equal(3, claimed.Count);
            var processor = dead.Services.GetRequiredService<InvitationProcessor>();
            var first = claimed.OrderBy(r => r.Row.RowNumber).First().Row;
            Assert.IsType<Invited>(await dead.Services.GetRequiredService<GraphGateway>().InviteAsync(processor.BuildRequest(first), CancellationToken.None));
        }

        using var host = DeliveryHarness.BuildHost(DeliveryHarness.TestSettings(database.ConnectionString, _tenant.BaseUrl));
        await host.StartAsync();
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        await host.StopAsync();

        var rows = await DeliveryHarness.RowsAsync(database.CreateContext, batchId);
        Assert.All(rows, r => Assert.Equal(InvitationStatus.Invited, r.Status));
        Assert.All(rows, r => Assert.Equal(2, r.Attempts));
        var mail = _tenant.Tenant.Mailbox();
        Assert.Equal(3, mail.Count);
        Assert.Equal(3, mail.Select(m => m.To).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(rows[0].GraphUserId, mail.Single(m => m.To == rows[0].Email).UserId);
        Assert.Equal(3, _tenant.Tenant.Stats.Requests("POST /invitations"));
    }

    [Fact]
    public async Task Stop_WhileRowsAreClaimed_ReleasesThemAndLaterHostFinishes()
    {
        await DeliveryHarness.SetFaultsAsync(_tenant, new { latencyMs = 300 });
        await using var seed = database.CreateContext();
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(30));
        var settings = DeliveryHarness.TestSettings(database.ConnectionString, _tenant.BaseUrl);
        settings["Delivery:WorkerCount"] = "2";
        settings["Delivery:ClaimBatchSize"] = "5";

        using (var first = DeliveryHarness.BuildHost(settings))
        {
            await first.StartAsync();
            await Eventually.Until(
                () => DeliveryHarness.RowsAsync(database.CreateContext, batchId),
                rows => rows.Any(r => r.Status == InvitationStatus.Invited),
                "the first host invited a row",
                Patience,
                rows => string.Join(", ", rows.CountBy(r => r.Status).Select(c => $"{c.Value} {c.Key}")));
            await first.StopAsync();
        }

        var afterStop = await DeliveryHarness.RowsAsync(database.CreateContext, batchId);
        Assert.DoesNotContain(afterStop, r => r.Status == InvitationStatus.Sending);
        Assert.All(afterStop.Where(r => r.Status == InvitationStatus.Queued), r =>
        {
            Assert.Null(r.LeaseToken);
            Assert.Equal(0, r.Attempts);
        });
        Assert.Contains(afterStop, r => r.Status == InvitationStatus.Queued);

        await DeliveryHarness.SetFaultsAsync(_tenant, new { latencyMs = 0 });
        using var second = DeliveryHarness.BuildHost(settings);
        await second.StartAsync();
        await DeliveryHarness.WaitUntilSettledAsync(database.CreateContext, batchId, Patience);
        await second.StopAsync();

        var rows = await DeliveryHarness.RowsAsync(database.CreateContext, batchId);
        Assert.All(rows, r => Assert.Equal(InvitationStatus.Invited, r.Status));
        Assert.Equal(30, _tenant.Tenant.Mailbox().Count);
        Assert.Equal(30, _tenant.Tenant.Mailbox().Select(m => m.To).Distinct().Count());
    }
}
