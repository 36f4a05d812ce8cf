using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace B2BPortal.Web.Tests.Data;

/// <summary>
/// The RowsAsJson migration on both providers: rows stored as the earlier code stored them (space-separated ID text,
/// row errors as the JSON text it serialized by hand) read back as lists and typed errors after Up, and as that text
/// again after Down. Each test class migrates a database of its own step by step.
/// </summary>
public abstract class RowsAsJsonMigrationTests : IAsyncLifetime
{
    private const string Group1 = "0f0e0d0c-0b0a-4909-8807-060504030201";
    private const string Group2 = "1f0e0d0c-0b0a-4909-8807-060504030201";
    private const string App = "cd3ed3de-93ee-400b-8b19-b61ef44a0f29";

    // As uploads wrote them before this migration: System.Text.Json with the web defaults (camelCase names, non-ASCII and quotes escaped).
    private static readonly RowError[] _errors =
    [
        new("Email", "Row 3, Email: 'b@' needs a domain after the @ — like name@partner.com."),
        new("DisplayName", "Row 3, DisplayName: \"Gäst\" \\ 名前 is too long."),
    ];

    private static readonly JsonSerializerOptions _earlierJson = new(JsonSerializerDefaults.Web);

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    protected abstract PortalDbContext CreateContext();

    [Fact]
    public async Task Up_TurnsStoredTextIntoListsAndTypedErrors_DownTurnsThemBack()
    {
        string before;
        await using (var db = CreateContext())
        {
            var migrations = db.Database.GetMigrations().ToList();
            var index = migrations.FindIndex(m => m.EndsWith("_RowsAsJson", StringComparison.Ordinal));
            Assert.True(index > 0, "RowsAsJson is not among the migrations.");
            before = migrations[index - 1];
            await db.GetService<IMigrator>().MigrateAsync(before);
            await SeedAsEarlierCodeStoredAsync(db);
        }

        await using (var db = CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync();
        }

        await using (var db = CreateContext())
        {
            var rows = await db.Invitations.AsNoTracking().OrderBy(i => i.RowNumber).ToListAsync();
            Assert.Equal([Group1, Group2], rows[0].GroupIds);
            Assert.Equal([App], rows[0].AppIds);
            Assert.Null(rows[0].ValidationErrors);
            Assert.Null(rows[1].GroupIds);
            Assert.Null(rows[1].AppIds);
            Assert.Equal(_errors, rows[1].ValidationErrors);

            var partner = await db.AccessRequestPartners.AsNoTracking().SingleAsync();
            Assert.Equal([Group2], partner.GroupIds);
            Assert.Null(partner.AppIds);
            var domain = await db.PreapprovedDomains.AsNoTracking().SingleAsync();
            Assert.Equal([Group1, Group2], domain.GroupIds);
            Assert.Equal([App], domain.AppIds);

            // The converted values are what the database itself now reads as a list and as JSON.
            var inList = await db.Invitations.CountAsync(i => i.GroupIds!.Contains(Group2));
            var withEmailError = await db.Invitations.CountAsync(i => i.ValidationErrors!.Any(e => e.Column == "Email"));
            Assert.Equal((1, 1), (inList, withEmailError));
        }

        await using (var db = CreateContext())
        {
            await db.GetService<IMigrator>().MigrateAsync(before);
        }

        await using (var db = CreateContext())
        {
            Assert.Equal(
                [$"{Group1} {Group2}|{App}|-", "-|-|errors"],
                await Text(db, """
                    SELECT COALESCE("GroupIds", '-') || '|' || COALESCE("AppIds", '-') || '|' ||
                           CASE WHEN "ValidationErrors" IS NULL THEN '-' ELSE 'errors' END AS "Value"
                    FROM "Invitations" ORDER BY "RowNumber"
                    """).ToListAsync());
            var json = await Text(db, """SELECT "ValidationErrors" AS "Value" FROM "Invitations" WHERE "ValidationErrors" IS NOT NULL""").SingleAsync();
            Assert.Equal(_errors, JsonSerializer.Deserialize<RowError[]>(json, _earlierJson));
            Assert.Equal(
                $"{Group2}|-|{Group1} {Group2}|{App}",
                await Text(db, """
                    SELECT COALESCE(p."GroupIds", '-') || '|' || COALESCE(p."AppIds", '-') || '|' || d."GroupIds" || '|' || d."AppIds" AS "Value"
                    FROM "AccessRequestPartners" p, "PreapprovedDomains" d
                    """).SingleAsync());
        }
    }

    private static IQueryable<string> Text(PortalDbContext db, string sql) => db.Database.SqlQueryRaw<string>(sql);

    /// <summary>A batch with a valid and an invalid row, an access request's partner and a pre-approved domain, in the earlier columns.</summary>
    private static async Task SeedAsEarlierCodeStoredAsync(PortalDbContext db)
    {
        // The tables the migration leaves alone are written through the model; the converted columns as raw text.
        db.Batches.Add(new Batch
        {
            Id = Guid.CreateVersion7(),
            FileName = "partners.csv",
            Sha256 = new string('0', 64),
            UploadedBy = "admin@contoso.example",
            UploadedAt = new DateTime(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc),
            Status = BatchStatus.Submitted,
            Format = BatchFormat.Legacy,
            TotalRows = 2,
            ValidRows = 1,
            InvalidRows = 1,
        });
        db.AccessRequests.Add(new AccessRequest
        {
            Id = Guid.CreateVersion7(),
            RequestedBy = "member@contoso.example",
            Justification = "Joint project.",
            RequestedAt = new DateTime(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc),
        });
        await db.SaveChangesAsync();

        var errors = JsonSerializer.Serialize(_errors, _earlierJson);
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO "Invitations" ("BatchId", "RowNumber", "Email", "NormalizedEmail", "Status", "SendEmail", "Attempts", "CreatedAt", "UpdatedAt", "GroupIds", "AppIds", "ValidationErrors")
            SELECT "Id", 2, 'a@partner.example', 'a@partner.example', 'Queued', {0}, 0, "UploadedAt", "UploadedAt", {1}, {2}, NULL FROM "Batches"
            """,
            true, $"{Group1} {Group2}", App);
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO "Invitations" ("BatchId", "RowNumber", "Email", "NormalizedEmail", "Status", "SendEmail", "Attempts", "CreatedAt", "UpdatedAt", "GroupIds", "AppIds", "ValidationErrors")
            SELECT "Id", 3, 'b@', 'b@', 'Invalid', {0}, 0, "UploadedAt", "UploadedAt", NULL, NULL, {1} FROM "Batches"
            """,
            true, errors);
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO "AccessRequestPartners" ("AccessRequestId", "Position", "Email", "DisplayName", "Decision", "GroupIds", "AppIds")
            SELECT "Id", 1, 'c@partner.example', 'C', 'Pending', {0}, NULL FROM "AccessRequests"
            """,
            Group2);
        await db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO "PreapprovedDomains" ("Domain", "RedirectUrl", "GroupIds", "AppIds", "Message", "AddedBy", "AddedAt")
            SELECT 'partner.example', NULL, {0}, {1}, NULL, 'admin@contoso.example', "UploadedAt" FROM "Batches"
            """,
            $"{Group1} {Group2}", App);
    }
}

public sealed class PostgresRowsAsJsonMigrationTests : RowsAsJsonMigrationTests
{
    private PostgresServer? _server;
    private string _connectionString = "";

    public override async Task InitializeAsync()
    {
        _server = await PostgresServer.GetAsync();
        _connectionString = await _server.CreateDatabaseAsync(nameof(PostgresRowsAsJsonMigrationTests), CancellationToken.None);
    }

    public override async Task DisposeAsync()
    {
        if (_server is not null && _connectionString.Length > 0)
        {
            await _server.DropDatabaseAsync(_connectionString);
        }
    }

    protected override PortalDbContext CreateContext() =>
        new PostgresPortalDbContext(new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql(_connectionString).Options);
}

public sealed class SqliteRowsAsJsonMigrationTests : RowsAsJsonMigrationTests
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"b2bportal-migration-{Guid.NewGuid():N}.db");

    public override Task InitializeAsync() => Task.CompletedTask;

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
        return Task.CompletedTask;
    }

    protected override PortalDbContext CreateContext() =>
        new SqlitePortalDbContext(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite($"Data Source={_path}").Options);
}
