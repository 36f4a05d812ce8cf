using B2BPortal.Web.Delivery;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace B2BPortal.Web.Tests.Delivery;

/// <summary>
/// PostgreSQL restarts while a batch is being delivered (its own cluster, so no other test loses its server):
/// the workers ride it out and finish, with nothing lost and nobody emailed twice.
/// </summary>
[Trait(Tier.Name, Tier.Chaos)]
public sealed class DatabaseRestartTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private PostgresServer _server = null!;
    private SimulatedTenantServer _tenant = null!;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartDedicatedAsync();
        _connectionString = await _server.CreateDatabaseAsync(nameof(DatabaseRestartTests), CancellationToken.None);
        await using (var db = CreateContext())
        {
            await db.Database.MigrateAsync();
        }

        _tenant = await SimulatedTenantServer.StartAsync(https: false);
    }

    public async Task DisposeAsync()
    {
        await _tenant.DisposeAsync();
        _server.Destroy();
    }

    [Fact]
    public async Task DatabaseRestart_MidBatch_WorkersSurviveAndEveryRowIsInvitedOnce()
    {
        const int Count = 80;
        await DeliveryHarness.SetFaultsAsync(_tenant, new { latencyMs = 100 });
        await using (var seed = CreateContext())
        {
            await DeliveryHarness.QueueBatchAsync(seed, DeliveryHarness.Rows(Count, "restart.example"));
        }

        var settings = DeliveryHarness.TestSettings(_connectionString, _tenant.BaseUrl);
        settings["Delivery:LeaseDuration"] = "00:00:03";
        settings["Delivery:TrackerInterval"] = "00:00:00.500";
        using var logs = new LogCapture();
        using var host = DeliveryHarness.BuildHost(settings, configure: s => s.AddSingleton<ILoggerProvider>(logs));
        await host.StartAsync();
        var workers = host.Services.GetServices<IHostedService>().OfType<BackgroundService>()
            .Where(s => s is InvitationDispatcher or RedemptionTracker).ToList();
        Assert.Equal(2, workers.Count);

        await Eventually.Until(() => CountAsync(InvitationStatus.Invited), invited => invited >= 10, "10 rows are Invited", Patience, Invited);
        var before = await CountAsync(InvitationStatus.Invited);
        await _server.StopAsync();

        // Not a wait for a condition: the outage itself, long enough for the 3 s leases to run out while it lasts.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await _server.StartAgainAsync();

        Assert.True(before < Count, "the batch finished before the database went down; the test proved nothing");
        Assert.Contains(logs.Entries, e => e.Category.StartsWith("B2BPortal.Web.Delivery", StringComparison.Ordinal));
        await Eventually.Until(() => CountAsync(InvitationStatus.Invited), invited => invited == Count, $"all {Count} rows are Invited after the restart", Patience, Invited);
        Assert.All(workers, w => Assert.False(w.ExecuteTask!.IsCompleted, $"{w.GetType().Name} stopped: {w.ExecuteTask.Exception}"));
        await host.StopAsync();

        await using var db = CreateContext();
        var rows = await db.Invitations.AsNoTracking().ToListAsync();
        Assert.All(rows, r => Assert.Equal(InvitationStatus.Invited, r.Status));
        var mail = _tenant.Tenant.Mailbox();
        Assert.Equal(Count, mail.Count);
        Assert.Equal(Count, mail.Select(m => m.To).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(rows, r => Assert.Equal(r.GraphUserId, mail.Single(m => string.Equals(m.To, r.Email, StringComparison.OrdinalIgnoreCase)).UserId));
    }

    private PostgresPortalDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql(_connectionString).Options);

    private static string Invited(int count) => count < 0 ? "the database did not answer" : $"{count} row(s) Invited";

    private async Task<int> CountAsync(InvitationStatus status)
    {
        // Polls through the outage: a refused connection counts as "not yet".
        try
        {
            await using var db = CreateContext();
            return await db.Invitations.CountAsync(i => i.Status == status);
        }
        catch (Npgsql.NpgsqlException)
        {
            return -1;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }
}
