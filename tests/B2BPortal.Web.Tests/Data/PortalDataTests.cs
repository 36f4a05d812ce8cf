using System.Reflection;
using B2BPortal.Web.Batches;

namespace B2BPortal.Web.Tests.Data;

/// <summary>The core data behaviour, run on both providers (see the two concrete classes at the end).</summary>
public abstract class PortalDataTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>, IAsyncLifetime
    where TFixture : class, IPortalDatabaseFixture
{
    // Every column the bulk writer writes: not the id (the search words are a shadow column the database computes);
    // the scalars, the ID lists (text[] / JSON text) and the row errors (a JSON column).
    private static readonly PropertyInfo[] _columns = [.. typeof(Invitation).GetProperties()
        .Where(p => p.Name is not nameof(Invitation.Id)
            && (p.PropertyType.IsValueType || p.PropertyType == typeof(string) || p.PropertyType == typeof(List<string>) || p.PropertyType == typeof(List<RowError>)))];

    protected TFixture Fixture { get; } = fixture;

    public Task InitializeAsync() => Fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Migrate_FreshDatabase_LeavesNoPendingMigrationOrModelChange()
    {
        await using var db = Fixture.CreateContext();

        Assert.Equal(Fixture.IsPostgres, db.IsPostgres());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a migration for this provider.");
    }

    [Fact]
    public async Task InsertAsync_1000Invitations_RoundTripsEveryColumn()
    {
        var batch = InvitationSamples.NewBatch(1000);
        var written = InvitationSamples.NewInvitations(batch.Id, 1000);
        await StoreAsync(batch, written, commit: true);

        await using var db = Fixture.CreateContext();
        var read = await db.Invitations.AsNoTracking().Where(i => i.BatchId == batch.Id).OrderBy(i => i.RowNumber).ToListAsync();

        Assert.Equal(written.Count, read.Count);
        Assert.Equal(read.Count, read.Select(i => i.Id).Distinct().Count());
        Assert.All(read, i => Assert.True(i.Id > 0));
        for (var n = 0; n < written.Count; n++)
        {
            foreach (var column in _columns)
            {
                var expected = column.GetValue(written[n]);
                var actual = column.GetValue(read[n]);
                Assert.True(SameValue(expected, actual), $"Row {written[n].RowNumber}, {column.Name}: wrote '{Shown(expected)}', read '{Shown(actual)}'.");
                if (actual is DateTime time)
                {
                    Assert.Equal(DateTimeKind.Utc, time.Kind);
                }
            }
        }

        // The search words the database computed for the bulk-written rows: names outside ASCII as written.
        var named = await RowsAsync(db, batch.Id, null, "Ünïcode 名前", 1, 50);
        Assert.Equal(written.Count(i => i.DisplayName is not null), named.Total);
    }

    [Fact]
    public async Task RowsAsync_SearchByNameInAnyCase_FindsTheRowByItsLowerCasedName()
    {
        var batch = InvitationSamples.NewBatch(3);
        var rows = InvitationSamples.NewInvitations(batch.Id, 3);
        rows[1].DisplayName = "Ada LOVELACE";
        await StoreAsync(batch, rows, commit: true);
        await using var db = Fixture.CreateContext();

        var (total, found, _, _) = await RowsAsync(db, batch.Id, null, "LoveLace", 1, 50);

        Assert.Equal(1, total);
        Assert.Equal(rows[1].RowNumber, Assert.Single(found).RowNumber);
    }

    [Theory]
    [InlineData("fabrikam", 2)]
    [InlineData("Doe Jane", 2)]
    [InlineData("jane.doe@fab", 2)]
    [InlineData("JANE.DOE@FABRIKAM.COM", 2)]
    [InlineData("smith", 3)]
    [InlineData("brien", 3)]
    [InlineData("o'brien-smith", 3)]
    [InlineData("O’Brien", 3)]
    [InlineData("abrikam", 0)]
    [InlineData("doe fabrikam contoso", 0)]
    [InlineData("@", 0)]
    [InlineData("%", 0)]
    [InlineData("j_ne", 0)]
    public async Task RowsAsync_Search_FindsRowsWhereEveryWordStartsAWordOfTheAddressOrName(string search, int expectedRow)
    {
        var batch = InvitationSamples.NewBatch(3);
        var rows = InvitationSamples.NewInvitations(batch.Id, 3);
        (rows[0].NormalizedEmail, rows[0].DisplayName) = ("jane.doe@fabrikam.com", "Jane Doe");
        (rows[1].NormalizedEmail, rows[1].DisplayName) = ("j.smith@contoso.com", "John O'Brien-Smith");
        (rows[2].NormalizedEmail, rows[2].DisplayName) = ("kim@litware.com", null);
        foreach (var row in rows)
        {
            row.Email = row.NormalizedEmail;
        }

        await StoreAsync(batch, rows, commit: true);
        await using var db = Fixture.CreateContext();

        var (total, found, _, _) = await RowsAsync(db, batch.Id, null, search, 1, 50);

        Assert.Equal(expectedRow == 0 ? 0 : 1, total);
        Assert.Equal(expectedRow == 0 ? [] : [rows[expectedRow - 2].RowNumber], found.Select(r => r.RowNumber));
    }

    [Fact]
    public async Task InsertAsync_StoresStatusesAsTheirContractNames()
    {
        var batch = InvitationSamples.NewBatch(14);
        await StoreAsync(batch, InvitationSamples.NewInvitations(batch.Id, 14), commit: true);

        await using var db = Fixture.CreateContext();
        var stored = await db.Database
            .SqlQueryRaw<string>("SELECT DISTINCT \"Status\" AS \"Value\" FROM \"Invitations\"")
            .ToListAsync();

        Assert.Equal(
            ["Accepted", "Cancelled", "Failed", "Held", "Invalid", "Invited", "Queued", "Sending"],
            stored.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task InsertAsync_CallerRollsBack_LeavesNothingStored()
    {
        var batch = InvitationSamples.NewBatch(500);
        await StoreAsync(batch, InvitationSamples.NewInvitations(batch.Id, 500), commit: false);

        await using var db = Fixture.CreateContext();
        Assert.Equal(0, await db.Batches.CountAsync());
        Assert.Equal(0, await db.Invitations.CountAsync());
    }

    [Fact]
    public async Task InsertAsync_KeepsTheCallersBatchTrackedForLaterChanges()
    {
        var batch = InvitationSamples.NewBatch(10);
        await using (var db = Fixture.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Batches.Add(batch);
            await db.SaveChangesAsync();
            await InvitationBulkWriter.InsertAsync(db, InvitationSamples.NewInvitations(batch.Id, 10), CancellationToken.None);

            batch.Status = BatchStatus.Submitted;
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await using var check = Fixture.CreateContext();
        Assert.Equal(BatchStatus.Submitted, (await check.Batches.SingleAsync()).Status);
        Assert.Equal(10, await check.Invitations.CountAsync(i => i.BatchId == batch.Id));
    }

    [Fact]
    public async Task InsertAsync_RowNumberTwiceInOneBatch_IsRefusedByTheUniqueIndex()
    {
        var batch = InvitationSamples.NewBatch(2);
        var rows = InvitationSamples.NewInvitations(batch.Id, 2);
        rows[1].RowNumber = rows[0].RowNumber;

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => StoreAsync(batch, rows, commit: true));

        Assert.True(refused is DbUpdateException or System.Data.Common.DbException, refused.ToString());

        await using var db = Fixture.CreateContext();
        Assert.Equal(0, await db.Invitations.CountAsync());
    }

    [Fact]
    public async Task InsertAsync_WithoutCallerTransaction_StoresAllOrNothing()
    {
        var batch = InvitationSamples.NewBatch(300);
        await using var db = Fixture.CreateContext();
        db.Batches.Add(batch);
        await db.SaveChangesAsync();
        var broken = InvitationSamples.NewInvitations(batch.Id, 300);
        broken[^1].RowNumber = broken[0].RowNumber;

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => InvitationBulkWriter.InsertAsync(db, broken, CancellationToken.None));
        Assert.Equal(0, await db.Invitations.CountAsync());

        await InvitationBulkWriter.InsertAsync(db, InvitationSamples.NewInvitations(batch.Id, 300), CancellationToken.None);
        Assert.Equal(300, await db.Invitations.CountAsync(i => i.BatchId == batch.Id));
    }

    [Fact]
    public async Task TenantPacing_SecondWriterWithStaleRow_GetsConcurrencyException()
    {
        await using (var setup = Fixture.CreateContext())
        {
            setup.TenantPacings.Add(new TenantPacing { TenantId = "simulated", WindowStart = DateTime.UtcNow });
            await setup.SaveChangesAsync();
        }

        await using var first = Fixture.CreateContext();
        await using var second = Fixture.CreateContext();
        var mine = await first.TenantPacings.SingleAsync();
        var theirs = await second.TenantPacings.SingleAsync();

        mine.WindowCount = 5;
        await first.SaveChangesAsync();
        theirs.WindowCount = 7;

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var check = Fixture.CreateContext();
        var stored = await check.TenantPacings.SingleAsync();
        Assert.Equal(5, stored.WindowCount);
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task Assignment_SameTargetTwiceForOneInvitation_IsRefused()
    {
        var batch = InvitationSamples.NewBatch(1);
        await StoreAsync(batch, InvitationSamples.NewInvitations(batch.Id, 1), commit: true);
        await using var db = Fixture.CreateContext();
        var invitation = await db.Invitations.SingleAsync();
        var group = Guid.NewGuid().ToString();
        db.InvitationAssignments.Add(new InvitationAssignment { InvitationId = invitation.Id, Kind = AssignmentKind.Group, TargetId = group });
        db.InvitationAssignments.Add(new InvitationAssignment { InvitationId = invitation.Id, Kind = AssignmentKind.App, TargetId = group });
        await db.SaveChangesAsync();

        db.InvitationAssignments.Add(new InvitationAssignment { InvitationId = invitation.Id, Kind = AssignmentKind.Group, TargetId = group });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Batch_Deleted_TakesItsInvitationsAndAssignmentsAlong()
    {
        var batch = InvitationSamples.NewBatch(3);
        await StoreAsync(batch, InvitationSamples.NewInvitations(batch.Id, 3), commit: true);
        await using (var db = Fixture.CreateContext())
        {
            var first = await db.Invitations.OrderBy(i => i.RowNumber).FirstAsync();
            db.InvitationAssignments.Add(new InvitationAssignment { InvitationId = first.Id, Kind = AssignmentKind.App, TargetId = "app" });
            await db.SaveChangesAsync();
            await db.Batches.Where(b => b.Id == batch.Id).ExecuteDeleteAsync();
        }

        await using var check = Fixture.CreateContext();
        Assert.Equal(0, await check.Invitations.CountAsync());
        Assert.Equal(0, await check.InvitationAssignments.CountAsync());
    }

    /// <summary>What an upload does: one transaction, the batch through SaveChanges, the rows through the bulk writer.</summary>
    [Fact]
    public async Task BatchStatusCounts_AfterInsertBulkUpdateAndDelete_EqualTheRowsByStatus()
    {
        var batch = InvitationSamples.NewBatch(300);
        await StoreAsync(batch, InvitationSamples.NewInvitations(batch.Id, 300), commit: true);
        var other = InvitationSamples.NewBatch(7);
        await StoreAsync(other, InvitationSamples.NewInvitations(other.Id, 7), commit: true);
        var rolledBack = InvitationSamples.NewBatch(5);
        await StoreAsync(rolledBack, InvitationSamples.NewInvitations(rolledBack.Id, 5), commit: false);
        await AssertCountsMatchRowsAsync(batch.Id, other.Id, rolledBack.Id);

        await using (var db = Fixture.CreateContext())
        {
            // A bulk status change, a change that leaves the status alone, and deletes across statuses.
            await db.Invitations.Where(i => i.BatchId == batch.Id && i.Status == InvitationStatus.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, InvitationStatus.Cancelled));
            await db.Invitations.Where(i => i.BatchId == batch.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Attempts, i => i.Attempts + 1));
            await db.Invitations.Where(i => i.BatchId == batch.Id && i.RowNumber % 3 == 0).ExecuteDeleteAsync();
        }

        await AssertCountsMatchRowsAsync(batch.Id, other.Id, rolledBack.Id);
    }

    [Theory]
    [InlineData(null, null, 1)]
    [InlineData(null, null, 3)]
    [InlineData(InvitationStatus.Failed, null, 2)]
    [InlineData(null, "guest.1", 2)]
    [InlineData(null, "GÄST 2", 1)]
    [InlineData(InvitationStatus.Invited, "partner", 2)]
    [InlineData(null, "100%_", 1)]
    [InlineData(null, null, 99)]
    public async Task RowsAsync_AnyFilterAndPage_EqualsOffsetPagingOverWholeRows(InvitationStatus? status, string? search, int page)
    {
        const int Size = 20;
        var batch = InvitationSamples.NewBatch(400);
        await StoreAsync(batch, InvitationSamples.NewInvitations(batch.Id, 400), commit: true);

        await using var db = Fixture.CreateContext();
        var (total, rows, _, _) = await RowsAsync(db, batch.Id, status, search, page, Size);

        var expected = BatchDetails.Selected(db, batch.Id, status, search);
        Assert.Equal(await expected.CountAsync(), total);
        Assert.Equal(
            await expected.Skip((page - 1) * Size).Take(Size).Select(i => i.RowNumber).ToListAsync(),
            rows.Select(r => r.RowNumber).ToList());
        Assert.True(page > 1 || search is "100%_" || rows.Count > 0, "the first page of these filters has rows");
    }

    [Fact]
    public async Task InsertAsync_ListsAndRowErrors_AreColumnsTheDatabaseReads()
    {
        const string Group1 = "0f0e0d0c-0b0a-4909-8807-060504030201";
        const string Group2 = "1f0e0d0c-0b0a-4909-8807-060504030201";
        var batch = InvitationSamples.NewBatch(2);
        var rows = InvitationSamples.NewInvitations(batch.Id, 2);
        rows[0].GroupIds = [Group1, Group2];
        rows[1].ValidationErrors = [new RowError("Email", "Row 3, Email: 'x' needs an @."), new RowError("Language", "Row 3, Language: \"xx\" is not supported.")];
        await StoreAsync(batch, rows, commit: true);

        // The database itself takes the lists and the errors apart: text[] and jsonb on PostgreSQL, JSON text on SQLite.
        await using var db = Fixture.CreateContext();
        var sql = Fixture.IsPostgres
            ? """
              SELECT i."GroupIds"[2] || '|' || cardinality(i."GroupIds") || '|' || jsonb_typeof(e."ValidationErrors") || '|' ||
                     (e."ValidationErrors"->1->>'message') || '|' || CASE WHEN i."ValidationErrors" IS NULL THEN 'none' ELSE 'some' END AS "Value"
              FROM "Invitations" i, "Invitations" e WHERE i."RowNumber" = 2 AND e."RowNumber" = 3
              """
            : """
              SELECT json_extract(i."GroupIds", '$[1]') || '|' || json_array_length(i."GroupIds") || '|' || json_type(e."ValidationErrors") || '|' ||
                     json_extract(e."ValidationErrors", '$[1].message') || '|' || CASE WHEN i."ValidationErrors" IS NULL THEN 'none' ELSE 'some' END AS "Value"
              FROM "Invitations" i, "Invitations" e WHERE i."RowNumber" = 2 AND e."RowNumber" = 3
              """;
        var stored = await db.Database.SqlQueryRaw<string>(sql).SingleAsync();

        Assert.Equal($"{Group2}|2|array|Row 3, Language: \"xx\" is not supported.|none", stored);
    }

    [Fact]
    public async Task InsertAsync_WritesTheJsonEfWrites_RowsFromEitherPathQueryAlike()
    {
        // One row through EF's own update pipeline, one through the bulk writer: a query over the JSON and the list finds both.
        var batch = InvitationSamples.NewBatch(2);
        var rows = InvitationSamples.NewInvitations(batch.Id, 2);
        foreach (var row in rows)
        {
            row.GroupIds = ["0f0e0d0c-0b0a-4909-8807-060504030201"];
            row.ValidationErrors = [new RowError("Email", "Row 2, Email: 'Gäst' needs an @.")];
        }

        await StoreAsync(batch, [rows[0]], commit: true);
        await using (var db = Fixture.CreateContext())
        {
            db.Invitations.Add(rows[1]);
            await db.SaveChangesAsync();
        }

        await using var check = Fixture.CreateContext();
        var found = await check.Invitations.AsNoTracking()
            .Where(i => i.BatchId == batch.Id && i.GroupIds!.Contains("0f0e0d0c-0b0a-4909-8807-060504030201")
                && i.ValidationErrors!.Any(e => e.Column == "Email" && e.Message == "Row 2, Email: 'Gäst' needs an @."))
            .OrderBy(i => i.RowNumber).Select(i => i.RowNumber).ToListAsync();

        Assert.Equal([rows[0].RowNumber, rows[1].RowNumber], found);
    }

    private async Task AssertCountsMatchRowsAsync(params Guid[] batches)
    {
        await using var db = Fixture.CreateContext();
        foreach (var batchId in batches)
        {
            var grouped = await db.Invitations.Where(i => i.BatchId == batchId).GroupBy(i => i.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            Assert.Equal(StatusCounts.From(grouped.ToDictionary(g => g.Key, g => g.Count)), await TableCountsAsync(db, batchId));
        }

        var all = await db.Invitations.GroupBy(i => i.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        Assert.Equal(StatusCounts.From(all.ToDictionary(g => g.Key, g => g.Count)), await StatusCounts.OfAllBatchesAsync(db, CancellationToken.None));
    }

    /// <summary>
    /// A page of a batch's rows as the batch page and the API read them. The batch and its counts are read here, not
    /// by BatchDetails' compiled statement: that is compiled for one provider, and these tests run both in one process.
    /// </summary>
    private static async Task<BatchDetails.Rows> RowsAsync(PortalDbContext db, Guid batchId, InvitationStatus? status, string? search, int page, int size)
    {
        var batch = new BatchDetails.Result(await db.Batches.AsNoTracking().SingleAsync(b => b.Id == batchId), await TableCountsAsync(db, batchId));
        return await new BatchDetails(db).RowsAsync(batch, new BatchDetails.RowsQuery(status, search, page, size), CancellationToken.None);
    }

    /// <summary>A batch's counts as the database keeps them (BatchStatusCounts); none for a batch that is not stored.</summary>
    private static async Task<StatusCounts> TableCountsAsync(PortalDbContext db, Guid batchId) =>
        StatusCounts.From(await db.BatchStatusCounts.Where(c => c.BatchId == batchId).ToDictionaryAsync(c => c.Status, c => c.Count));

    /// <summary>Equal values; lists (the ID lists, the row errors) item by item.</summary>
    private static bool SameValue(object? expected, object? actual) => (expected, actual) switch
    {
        (System.Collections.IEnumerable e, System.Collections.IEnumerable a) when expected is not string =>
            e.Cast<object?>().SequenceEqual(a.Cast<object?>()),
        _ => Equals(expected, actual),
    };

    private static string? Shown(object? value) =>
        value is System.Collections.IEnumerable items and not string ? $"[{string.Join(", ", items.Cast<object?>())}]" : value?.ToString();

    private async Task StoreAsync(Batch batch, List<Invitation> invitations, bool commit)
    {
        await using var db = Fixture.CreateContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Batches.Add(batch);
        await db.SaveChangesAsync();
        await InvitationBulkWriter.InsertAsync(db, invitations, CancellationToken.None);
        if (commit)
        {
            await transaction.CommitAsync();
        }
        else
        {
            await transaction.RollbackAsync();
        }
    }
}

public sealed class PostgresPortalDataTests(PostgresDatabaseFixture fixture) : PortalDataTests<PostgresDatabaseFixture>(fixture);

public sealed class SqlitePortalDataTests(SqliteDatabaseFixture fixture) : PortalDataTests<SqliteDatabaseFixture>(fixture);
