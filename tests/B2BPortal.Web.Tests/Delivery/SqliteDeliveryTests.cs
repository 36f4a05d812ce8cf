using Microsoft.Data.Sqlite;

namespace B2BPortal.Web.Tests.Delivery;

/// <summary>The embedded default: the same dispatcher on SQLite (its own claim path), against the simulator.</summary>
public sealed class SqliteDeliveryTests : IAsyncLifetime
{
    private readonly string _contentRoot = Path.Combine(Path.GetTempPath(), $"b2bportal-delivery-{Guid.NewGuid():N}");
    private SimulatedTenantServer _tenant = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_contentRoot);
        _tenant = await SimulatedTenantServer.StartAsync(https: false);
    }

    public async Task DisposeAsync()
    {
        await _tenant.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_contentRoot, recursive: true);
    }

    [Fact]
    public async Task Deliver_OnSqlite_InvitesEveryRowOnceWithGroups()
    {
        var settings = DeliveryHarness.TestSettings("", _tenant.BaseUrl);
        settings.Remove("ConnectionStrings:Portal");
        var group = _tenant.Tenant.Groups[0].Id;
        using var host = DeliveryHarness.BuildHost(settings, contentRoot: _contentRoot);
        await host.Services.MigratePortalDatabaseAsync(CancellationToken.None);
        Guid batchId;
        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            Assert.False(db.IsPostgres());
            batchId = await DeliveryHarness.QueueBatchAsync(db, DeliveryHarness.Rows(12).Select(r =>
            {
                r.GroupIds = [group];
                return r;
            }));
        }

        PortalDbContext Create() => host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        await host.StartAsync();
        await DeliveryHarness.WaitUntilSettledAsync(Create, batchId, TimeSpan.FromSeconds(90));
        await host.StopAsync();

        var rows = await DeliveryHarness.RowsAsync(Create, batchId);
        Assert.All(rows, r => Assert.Equal(InvitationStatus.Invited, r.Status));
        Assert.All(rows, r => Assert.Equal(AssignmentStatus.Done, Assert.Single(r.Assignments).Status));
        Assert.Equal(12, _tenant.Tenant.Stats.Requests("POST /invitations"));
        Assert.Equal(12, _tenant.Tenant.Mailbox().Select(m => m.To).Distinct().Count());
        Assert.Equal(12, _tenant.Tenant.GroupMembers(group).Count);
    }
}
