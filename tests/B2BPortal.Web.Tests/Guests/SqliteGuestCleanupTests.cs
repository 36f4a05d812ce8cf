using B2BPortal.Web.Guests;
using B2BPortal.Web.Tests.Delivery;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace B2BPortal.Web.Tests.Guests;

/// <summary>
/// Clean-up on the embedded default (SQLite) with the portal's clock moved by a FakeTimeProvider: rows invited "today"
/// are not due; 45 days later the dry run lists them, a run removes exactly those, and restore brings one back.
/// </summary>
public sealed class SqliteGuestCleanupTests : IAsyncLifetime
{
    private readonly string _contentRoot = Path.Combine(Path.GetTempPath(), $"b2bportal-cleanup-{Guid.NewGuid():N}");
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
    public async Task Cleanup_OnSqliteWithFakeClock_RemovesUnacceptedGuestsOnceTheirDaysHavePassed()
    {
        var settings = DeliveryHarness.TestSettings("", _tenant.BaseUrl);
        settings.Remove("ConnectionStrings:Portal");
        settings["Portal:Cleanup:RemoveUnacceptedAfterDays"] = "30";
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = DeliveryHarness.BuildHost(settings, clock, contentRoot: _contentRoot);
        await host.Services.MigratePortalDatabaseAsync(CancellationToken.None);
        var cleanup = host.Services.GetRequiredService<GuestCleanup>();
        var tenant = _tenant.Tenant;
        var early = tenant.AddGuest("early@fabrikam.example", "Early", accepted: false);
        var late = tenant.AddGuest("late@fabrikam.example", "Late", accepted: false);
        var member = tenant.FindUser(SimulatedTenantDefaults.NoRoleUpn)!;
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var db = host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext())
        {
            var batch = new Batch
            {
                Id = Guid.NewGuid(), FileName = "sqlite.csv", Sha256 = new string('d', 64), Format = BatchFormat.Entra,
                Status = BatchStatus.Submitted, UploadedBy = SimulatedTenantDefaults.GlobalAdminUpn, UploadedAt = now,
            };
            Invitation Row(string email, string userId, DateTime invitedAt, int rowNumber) => new()
            {
                BatchId = batch.Id, RowNumber = rowNumber, Email = email, NormalizedEmail = email, Status = InvitationStatus.Invited,
                GraphUserId = userId, CreatedAt = invitedAt, UpdatedAt = invitedAt, QueuedAt = invitedAt, InvitedAt = invitedAt,
            };
            db.Batches.Add(batch);
            db.Invitations.AddRange(
                Row("early@fabrikam.example", early.Id, now, 2),
                Row("late@fabrikam.example", late.Id, now.AddDays(20), 3),
                Row("member@fabrikam.example", member.Id, now, 4));
            await db.SaveChangesAsync();
        }

        var today = await cleanup.PlanAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(45));
        var later = await cleanup.PlanAsync(CancellationToken.None);
        var run = await cleanup.RunAsync("admin@contoso.onmicrosoft.com", CancellationToken.None);

        Assert.Empty(today.Actions);
        Assert.Equal(["early@fabrikam.example"], later.Actions.Select(a => a.Email));
        Assert.Equal("member@fabrikam.example", Assert.Single(later.Skipped).Email);
        Assert.Equal((1, 0, null), (run.Removed, run.Reinvited, run.StoppedBecause));
        Assert.Equal(early.Id, Assert.Single(tenant.DeletedUsers()).Id);
        Assert.NotNull(tenant.FindVisibleUser(late.Id));
        Assert.NotNull(tenant.FindVisibleUser(member.Id));

        var removedId = run.Plan.Actions[0].InvitationId;
        var (restored, message) = await cleanup.RestoreAsync(removedId, "admin@contoso.onmicrosoft.com", CancellationToken.None);

        Assert.True(restored, message);
        Assert.NotNull(tenant.FindVisibleUser(early.Id));
        await using var check = host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();
        var row = await check.Invitations.SingleAsync(i => i.Id == removedId);
        Assert.Null(row.RemovedAt);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, row.RestoredAt);
        Assert.Equal(["CleanupRun", "GuestRemoved", "GuestRestored"], (await check.AuditEntries.Select(e => e.Action).ToListAsync()).Order());
    }
}
