using B2BPortal.Web.Delivery;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace B2BPortal.Web.Tests.Delivery;

/// <summary>Claims, leases, fencing and shared pacing on PostgreSQL, with a fake clock instead of sleeping.</summary>
public sealed class InvitationQueueTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private readonly List<IHost> _hosts = [];

    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Claim_AfterLeaseExpired_NewTokenWinsAndStaleWriteChangesNothing()
    {
        var services = WebOnlyServices();
        var queue = services.GetRequiredService<InvitationQueue>();
        await using var seed = database.CreateContext();
        await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(1));

        var first = Assert.Single(await queue.ClaimAsync("worker-a", 5, CancellationToken.None));
        Assert.Empty(await queue.ClaimAsync("worker-b", 5, CancellationToken.None));
        _time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var second = Assert.Single(await queue.ClaimAsync("worker-b", 5, CancellationToken.None));

        Assert.Equal(first.Id, second.Id);
        Assert.NotEqual(first.Lease, second.Lease);
        Assert.Equal(2, second.Row.Attempts);
        Assert.False(await queue.UpdateAsync(first, s => s.SetProperty(i => i.GraphUserId, "stale"), CancellationToken.None));
        Assert.False(await queue.ReleaseAsync(first, countAttempt: false, null, CancellationToken.None));
        Assert.True(await queue.UpdateAsync(second, s => s.SetProperty(i => i.GraphUserId, "current"), CancellationToken.None));

        await using var db = database.CreateContext();
        var row = await db.Invitations.SingleAsync();
        Assert.Equal("current", row.GraphUserId);
        Assert.Equal(InvitationStatus.Sending, row.Status);
        Assert.Equal("worker-b", row.LeaseOwner);
    }

    [Fact]
    public async Task Claim_ManyConcurrentWorkers_NoRowClaimedTwice()
    {
        var queue = WebOnlyServices().GetRequiredService<InvitationQueue>();
        await using var seed = database.CreateContext();
        await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(300));

        // Every worker makes its first claim before any makes a second: on a fresh 2-core machine the thread pool
        // starts one task long before the others, and a lone worker could drain the queue on its own. A worker whose
        // first claim fails hands its exception to the others, which would otherwise wait for it for ever.
        const int workers = 8;
        var firstClaims = 0;
        var everyWorkerClaimedOnce = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var claims = await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var mine = new List<long>();
            var first = true;
            while (true)
            {
                var claiming = queue.ClaimAsync($"worker-{w}", 7, CancellationToken.None);
                if (first)
                {
                    first = false;
                    try
                    {
                        await claiming;
                    }
                    catch (Exception e)
                    {
                        everyWorkerClaimedOnce.TrySetException(e);
                        throw;
                    }

                    if (Interlocked.Increment(ref firstClaims) == workers)
                    {
                        everyWorkerClaimedOnce.TrySetResult();
                    }

                    await everyWorkerClaimedOnce.Task.Within(TimeSpan.FromSeconds(30), $"not all {workers} workers made their first claim");
                }

                var rows = await claiming;

                if (rows.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(rows.Select(r => r.Id));
            }
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(300, all.Count);
        Assert.Equal(300, all.Distinct().Count());
        Assert.All(claims, c => Assert.NotEmpty(c));
    }

    [Fact]
    public async Task Claim_SingleInvitationBehindLargeBatch_ClaimedNextNotAfterTheBatch()
    {
        var queue = WebOnlyServices().GetRequiredService<InvitationQueue>();
        await using var seed = database.CreateContext();
        await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(200, "large.example"));
        var started = await queue.ClaimAsync("worker", 20, CancellationToken.None);
        await using var later = database.CreateContext();
        var single = await DeliveryHarness.QueueBatchAsync(later, [DeliveryHarness.Row("urgent@partner.example")]);

        var next = await queue.ClaimAsync("worker", 5, CancellationToken.None);

        Assert.Equal(20, started.Count);
        Assert.Equal(5, next.Count);
        Assert.Contains(next, c => c.Row.BatchId == single);
    }

    [Fact]
    public async Task Claim_RowInBackoff_NotClaimedUntilItsTime()
    {
        var queue = WebOnlyServices().GetRequiredService<InvitationQueue>();
        await using var seed = database.CreateContext();
        var row = DeliveryHarness.Row("later@partner.example");
        var batchId = await DeliveryHarness.QueueBatchAsync(seed, [row]);
        await seed.Invitations.Where(i => i.BatchId == batchId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.NextAttemptAt, _time.GetUtcNow().UtcDateTime.AddSeconds(30)));

        Assert.Empty(await queue.ClaimAsync("worker", 5, CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Single(await queue.ClaimAsync("worker", 5, CancellationToken.None));
    }

    [Fact]
    public async Task Pacer_RetryAfterFromOneInstance_StopsAnotherUntilItPasses()
    {
        var first = WebOnlyServices().GetRequiredService<TenantPacer>();
        var second = WebOnlyServices().GetRequiredService<TenantPacer>();
        Assert.True((await second.AcquireInvitationSlotAsync(TimeSpan.Zero, CancellationToken.None)).MayProceed);

        await first.RecordRetryAfterAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        var blocked = await second.AcquireInvitationSlotAsync(TimeSpan.Zero, CancellationToken.None);
        Assert.Equal(PacingMode.Throttled, blocked.Mode);
        Assert.Equal(_time.GetUtcNow().UtcDateTime.AddSeconds(30), blocked.Until);
        Assert.Equal(PacingMode.Throttled, (await second.CheckAsync(CancellationToken.None)).Mode);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True((await second.AcquireInvitationSlotAsync(TimeSpan.Zero, CancellationToken.None)).MayProceed);
    }

    [Fact]
    public async Task Pacer_BurstAtOneInstant_AdmitsOnlyTheToleratedSlots()
    {
        var settings = new Dictionary<string, string?> { ["Delivery:InvitationsPerSecond"] = "10" };
        var first = WebOnlyServices(settings).GetRequiredService<TenantPacer>();
        var second = WebOnlyServices(settings).GetRequiredService<TenantPacer>();

        var admitted = 0;
        for (var i = 0; i < 20; i++)
        {
            var pacer = i % 2 == 0 ? first : second;
            if ((await pacer.AcquireInvitationSlotAsync(TimeSpan.Zero, CancellationToken.None)).MayProceed)
            {
                admitted++;
            }
        }

        // One slot now plus one interval of tolerance; after that one slot per interval (0.1 s), whoever asks.
        Assert.Equal(2, admitted);
        for (var step = 0; step < 10; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            Assert.True((await first.AcquireInvitationSlotAsync(TimeSpan.Zero, CancellationToken.None)).MayProceed);
            Assert.False((await second.AcquireInvitationSlotAsync(TimeSpan.Zero, CancellationToken.None)).MayProceed);
        }

        // Idle time saves no credit: a later burst is bounded the same way.
        _time.Advance(TimeSpan.FromMinutes(1));
        var burst = 0;
        for (var i = 0; i < 20; i++)
        {
            burst += (await first.AcquireInvitationSlotAsync(TimeSpan.Zero, CancellationToken.None)).MayProceed ? 1 : 0;
        }

        Assert.Equal(2, burst);
    }

    [Fact]
    public async Task Pacer_Writes_HaveTheirOwnLaneAtWritesPerSecondAcrossInstances()
    {
        var settings = new Dictionary<string, string?> { ["Delivery:InvitationsPerSecond"] = "10", ["Delivery:WritesPerSecond"] = "4" };
        var first = WebOnlyServices(settings).GetRequiredService<TenantPacer>();
        var second = WebOnlyServices(settings).GetRequiredService<TenantPacer>();

        var writes = 0;
        for (var i = 0; i < 10; i++)
        {
            writes += (await (i % 2 == 0 ? first : second).AcquireWriteSlotAsync(TimeSpan.Zero, CancellationToken.None)).MayProceed ? 1 : 0;
        }

        // Writes used up do not take invitation slots, and the write lane refills at 4 per second, whoever asks.
        Assert.Equal(2, writes);
        Assert.True((await first.AcquireInvitationSlotAsync(TimeSpan.Zero, CancellationToken.None)).MayProceed);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        Assert.True((await second.AcquireWriteSlotAsync(TimeSpan.Zero, CancellationToken.None)).MayProceed);
        Assert.False((await first.AcquireWriteSlotAsync(TimeSpan.Zero, CancellationToken.None)).MayProceed);

        await first.RecordRetryAfterAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(PacingMode.Throttled, (await second.AcquireWriteSlotAsync(TimeSpan.Zero, CancellationToken.None)).Mode);
    }

    [Fact]
    public async Task Pacer_ManyInstancesCreateTheRowAtOnce_OneRowAndNothingErrorLevelLogged()
    {
        // Twelve instances whose first pacing call races to create the tenant's row.
        using var logs = new LogCapture();
        var pacers = Enumerable.Range(0, 12)
            .Select(_ => WebOnlyServices(configure: s => s.AddSingleton<ILoggerProvider>(logs)).GetRequiredService<TenantPacer>())
            .ToList();

        // All twelve wait on one signal without holding a thread-pool thread (twelve blocked threads starve a 2-core
        // pool), and its release queues all of them to the pool at once, so their first calls race.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racing = pacers.Select(async p =>
        {
            await start.Task;
            return await p.GetStateAsync(CancellationToken.None);
        }).ToList();
        start.SetResult();
        var states = await Task.WhenAll(racing);

        Assert.All(states, s => Assert.Equal(PacingMode.Sending, s.Mode));
        await using var db = database.CreateContext();
        Assert.Equal(1, await db.TenantPacings.CountAsync());
        Assert.Empty(logs.AtLeast(LogLevel.Error));
    }

    [Fact]
    public async Task Pacer_Paused_RefusesUntilResumed()
    {
        var pacer = WebOnlyServices().GetRequiredService<TenantPacer>();

        Assert.True(await pacer.PauseAsync("Invitations are blocked for this directory due to suspicious activity.", CancellationToken.None));
        Assert.False(await pacer.PauseAsync("again", CancellationToken.None));
        var refused = await pacer.AcquireInvitationSlotAsync(TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal(PacingMode.Paused, refused.Mode);
        Assert.Contains("suspicious activity", refused.Reason, StringComparison.Ordinal);

        Assert.True(await pacer.ResumeAsync(CancellationToken.None));
        Assert.True((await pacer.AcquireInvitationSlotAsync(TimeSpan.Zero, CancellationToken.None)).MayProceed);
    }

    private IServiceProvider WebOnlyServices(Dictionary<string, string?>? extra = null, Action<IServiceCollection>? configure = null)
    {
        var settings = DeliveryHarness.TestSettings(database.ConnectionString, "http://127.0.0.1:9");
        settings["Portal:Roles"] = "web";
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var host = DeliveryHarness.BuildHost(settings, _time, configure);
        _hosts.Add(host);
        return host.Services;
    }
}
