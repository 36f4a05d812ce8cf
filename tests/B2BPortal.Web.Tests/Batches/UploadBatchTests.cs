using System.Security.Cryptography;
using B2BPortal.Web.Batches;
using B2BPortal.Web.Invitations;
using B2BPortal.Web.Invitations.Csv;
using B2BPortal.Web.UnitTests.Invitations.Csv;
using Microsoft.Extensions.Logging.Abstractions;

namespace B2BPortal.Web.Tests.Batches;

/// <summary>Upload → stored on both providers (<see cref="UploadBatch"/>): what is kept, and that a refused file leaves nothing behind.</summary>
public abstract class UploadBatchTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>, IAsyncLifetime
    where TFixture : class, IPortalDatabaseFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private UploadBatch Upload(PortalDbContext db, int maxRows = 50_000)
    {
        var emailOptions = Options.Create(new B2BPortal.Web.Delivery.Email.InvitationEmailOptions());
        return new(
            new FixtureContexts(fixture),
            new InvitationRows(db, NoTenant.Policies(new FixtureContexts(fixture)), TimeProvider.System),
            new BatchStore(db, emailOptions, TimeProvider.System, NullLogger<BatchStore>.Instance),
            Options.Create(new UploadOptions { MaxRows = maxRows }),
            NoTenant.InvitePolicy(),
            emailOptions,
            new TenantConnectionResolver(new ConfigurationBuilder().Build()),
            TimeProvider.System);
    }

    private static UploadBatch.Command CsvFile(byte[] bytes, string fileName, string actor, bool submit) =>
        new(new MemoryStream(bytes), fileName, actor, submit);

    [Fact]
    public async Task Import_MixedFile_StoresBatchFactsAndEveryRow()
    {
        var bytes = CsvBytes.Utf8WithBom("Email,DisplayName,InviteContactUsUrl,InviteGroupResources\r\n" +
            "a@partner.example,A,https://c.example/,\"0F0E0D0C-0B0A-4909-8807-060504030201; 1f0e0d0c-0b0a-4909-8807-060504030201\"\r\n" +
            "not-an-address,B,https://c.example/,\r\n");
        await using var db = fixture.CreateContext();
        foreach (var group in new[] { "0f0e0d0c-0b0a-4909-8807-060504030201", "1f0e0d0c-0b0a-4909-8807-060504030201" })
        {
            db.AssignableTargets.Add(new AssignableTarget { Kind = AssignableKind.Group, TargetId = group, DisplayName = $"Group {group[..4]}", AddedBy = "admin", AddedAt = DateTime.UtcNow });
        }

        await db.SaveChangesAsync();

        var batch = await Upload(db).HandleAsync(CsvFile(bytes, "C:\\Users\\me\\part\u0000ners.csv", "admin@contoso.example", submit: false), CancellationToken.None);

        await using var check = fixture.CreateContext();
        var stored = await check.Batches.SingleAsync();
        Assert.Equal("partners.csv", stored.FileName);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256);
        Assert.Equal(bytes.Length, stored.SizeBytes);
        Assert.Equal(BatchFormat.Legacy, stored.Format);
        Assert.Equal(BatchStatus.Review, stored.Status);
        Assert.Equal((2, 1, 1), (stored.TotalRows, stored.ValidRows, stored.InvalidRows));
        var rows = await check.Invitations.OrderBy(i => i.RowNumber).ToListAsync();
        Assert.Equal(["0f0e0d0c-0b0a-4909-8807-060504030201", "1f0e0d0c-0b0a-4909-8807-060504030201"], rows[0].GroupIds);
        Assert.Equal(InvitationStatus.Held, rows[0].Status);
        Assert.Null(rows[0].NextAttemptAt);
        Assert.Null(rows[0].QueuedAt);
        Assert.Equal(InvitationStatus.Invalid, rows[1].Status);
        Assert.Contains("Row 3, Email:", Assert.Single(rows[1].Errors).Message, StringComparison.Ordinal);
        Assert.Equal("Uploaded", (await check.AuditEntries.SingleAsync()).Action);
        Assert.Equal(batch.Id, stored.Id);
    }

    [Fact]
    public async Task Import_OverTheRowLimit_StoresNothing()
    {
        var bytes = CsvBytes.Utf8("Email,DisplayName,InviteContactUsUrl\na@p.example,A,https://c.example/\nb@p.example,B,https://c.example/\nc@p.example,C,https://c.example/\n");
        await using var db = fixture.CreateContext();

        var rejected = await Assert.ThrowsAsync<InvitationFileRejectedException>(() =>
            Upload(db, maxRows: 2).HandleAsync(CsvFile(bytes, "big.csv", "admin", submit: true), CancellationToken.None));

        Assert.Contains("2", rejected.Detail, StringComparison.Ordinal);
        await using var check = fixture.CreateContext();
        Assert.Equal(0, await check.Batches.CountAsync());
        Assert.Equal(0, await check.Invitations.CountAsync());
        Assert.Equal(0, await check.AuditEntries.CountAsync());
    }

    [Fact]
    public async Task Import_AddressAcceptedInEarlierBatch_IsFlaggedNotDuplicated()
    {
        await using (var db = fixture.CreateContext())
        {
            await Upload(db).HandleAsync(CsvFile(CsvBytes.Utf8("Email,DisplayName,InviteContactUsUrl\nAnn@Partner.example,Ann,https://c.example/\n"), "first.csv", "admin", submit: true), CancellationToken.None);
            await db.Invitations.ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, InvitationStatus.Accepted));
        }

        await using (var db = fixture.CreateContext())
        {
            var second = await Upload(db).HandleAsync(CsvFile(CsvBytes.Utf8("Email,DisplayName,InviteContactUsUrl\nann@partner.example,Ann again,https://c.example/\n"), "second.csv", "admin", submit: true), CancellationToken.None);
            Assert.Equal(1, second.InvalidRows);
        }

        await using var check = fixture.CreateContext();
        var flagged = await check.Invitations.SingleAsync(i => i.DisplayName == "Ann again");
        Assert.Equal(InvitationStatus.Invalid, flagged.Status);
        Assert.Contains("already invited in batch 'first.csv'", Assert.Single(flagged.Errors).Message, StringComparison.Ordinal);
        Assert.Contains("now Accepted", Assert.Single(flagged.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ReuploadAcrossSeveralLookupChunks_FlagsExactlyTheEarlierAddresses()
    {
        // More rows than one look-up chunk, so several queries run while the file is read; every third address was invited before.
        var rows = (EarlierInvitationLookup.ChunkSize * 2) + 500;
        string Line(int n) => $"guest{n}@partner.example,Guest {n},https://c.example/\n";
        var earlierFile = "Email,DisplayName,InviteContactUsUrl\n" + string.Concat(Enumerable.Range(0, rows).Where(n => n % 3 == 0).Select(Line));
        var laterFile = "Email,DisplayName,InviteContactUsUrl\n" + string.Concat(Enumerable.Range(0, rows).Select(Line));
        await using (var db = fixture.CreateContext())
        {
            await Upload(db).HandleAsync(CsvFile(CsvBytes.Utf8(earlierFile), "first.csv", "admin", submit: true), CancellationToken.None);
        }

        Batch later;
        await using (var db = fixture.CreateContext())
        {
            later = await Upload(db).HandleAsync(CsvFile(CsvBytes.Utf8(laterFile), "second.csv", "admin", submit: true), CancellationToken.None);
        }

        var expectedFlagged = Enumerable.Range(0, rows).Count(n => n % 3 == 0);
        Assert.Equal((rows, rows - expectedFlagged, expectedFlagged), (later.TotalRows, later.ValidRows, later.InvalidRows));
        await using var check = fixture.CreateContext();
        var invalidRowNumbers = await check.Invitations.Where(i => i.BatchId == later.Id && i.Status == InvitationStatus.Invalid)
            .Select(i => i.RowNumber).OrderBy(r => r).ToListAsync();
        // Row n+2 holds guest n (row 1 is the header).
        Assert.Equal(Enumerable.Range(0, rows).Where(n => n % 3 == 0).Select(n => n + 2), invalidRowNumbers);
    }

    [Fact]
    public async Task Review_SendThenDiscard_OnlyReviewBatchesChange()
    {
        Guid id;
        await using (var db = fixture.CreateContext())
        {
            id = (await Upload(db).HandleAsync(CsvFile(CsvBytes.Utf8("Email,DisplayName,InviteContactUsUrl\nx@p.example,X,https://c.example/\n"), "r.csv", "admin", submit: false), CancellationToken.None)).Id;
        }

        await using (var db = fixture.CreateContext())
        {
            var send = new SendBatch(db, NoTenant.InvitePolicy(), TimeProvider.System);
            var discard = new DiscardBatch(db, TimeProvider.System);
            Assert.Equal(1, await send.HandleAsync(new SendBatch.Command(id, "admin", null), CancellationToken.None));
            Assert.Null(await send.HandleAsync(new SendBatch.Command(id, "admin", null), CancellationToken.None));
            Assert.False(await discard.HandleAsync(new DiscardBatch.Command(id, "admin"), CancellationToken.None));
        }

        await using var check = fixture.CreateContext();
        var row = await check.Invitations.SingleAsync();
        Assert.Null(row.NextAttemptAt);
        Assert.NotNull(row.QueuedAt);
        Assert.Equal(["Submitted", "Uploaded"], await check.AuditEntries.OrderBy(a => a.Action).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task Import_TwoGroupsAndABadRow_ListsAndTypedErrorsReachTheQueueAsStored()
    {
        const string Group1 = "0f0e0d0c-0b0a-4909-8807-060504030201";
        const string Group2 = "1f0e0d0c-0b0a-4909-8807-060504030201";
        var bytes = CsvBytes.Utf8("Email,DisplayName,InviteContactUsUrl,InviteGroupResources\r\n" +
            $"a@partner.example,A,https://c.example/,\"{Group1.ToUpperInvariant()}, {Group2};{Group1}\"\r\n" +
            "b@,\"B \"\"the\"\" Ünïcode\",https://c.example/,\r\n");
        await using var db = fixture.CreateContext();
        foreach (var group in new[] { Group1, Group2 })
        {
            db.AssignableTargets.Add(new AssignableTarget { Kind = AssignableKind.Group, TargetId = group, DisplayName = $"Group {group[..4]}", AddedBy = "admin", AddedAt = DateTime.UtcNow });
        }

        await db.SaveChangesAsync();
        await Upload(db).HandleAsync(CsvFile(bytes, "groups.csv", "admin@contoso.example", submit: true), CancellationToken.None);

        // Stored: the groups as a list (normalized, each once), the bad row's errors as typed values, none on the good row.
        await using (var check = fixture.CreateContext())
        {
            var rows = await check.Invitations.AsNoTracking().OrderBy(i => i.RowNumber).ToListAsync();
            Assert.Equal([Group1, Group2], rows[0].GroupIds);
            Assert.Null(rows[0].AppIds);
            Assert.Null(rows[0].ValidationErrors);
            var error = Assert.Single(rows[1].ValidationErrors!);
            Assert.Equal("Email", error.Column);
            Assert.StartsWith("Row 3, Email: 'b@' ", error.Message, StringComparison.Ordinal);
            Assert.Equal(InvitationStatus.Invalid, rows[1].Status);
        }

        // Dispatch: the claim (PostgreSQL's UPDATE … RETURNING *, SQLite's own path) reads the list back, and the row's
        // assignments are one per group.
        var queue = new B2BPortal.Web.Delivery.InvitationQueue(
            new FixtureContexts(fixture), Options.Create(new B2BPortal.Web.Delivery.DeliveryOptions()), TimeProvider.System);
        var claim = Assert.Single(await queue.ClaimAsync("test-worker", 10, CancellationToken.None));
        Assert.Equal([Group1, Group2], claim.Row.GroupIds);
        var assignments = await queue.EnsureAssignmentsAsync(claim, CancellationToken.None);
        Assert.NotNull(assignments);
        Assert.Equal(
            [(AssignmentKind.Group, Group1), (AssignmentKind.Group, Group2)],
            assignments.OrderBy(a => a.TargetId, StringComparer.Ordinal).Select(a => (a.Kind, a.TargetId)));
    }
}

public sealed class PostgresUploadBatchTests(PostgresDatabaseFixture fixture) : UploadBatchTests<PostgresDatabaseFixture>(fixture);

public sealed class SqliteUploadBatchTests(SqliteDatabaseFixture fixture) : UploadBatchTests<SqliteDatabaseFixture>(fixture);

/// <summary>The fixture's contexts as the upload's factory (it opens extra connections for look-ups).</summary>
internal sealed class FixtureContexts(IPortalDatabaseFixture fixture) : IDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext() => fixture.CreateContext();
}
