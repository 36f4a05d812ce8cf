using System.Globalization;
using B2BPortal.Web.Data;
using B2BPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace B2BPortal.Benchmarks;

/// <summary>
/// Stores a 50,000-row batch the way an upload does (one transaction: the batch through SaveChanges,
/// the rows through <see cref="InvitationBulkWriter"/> binary COPY): one warm-up run, then 5 measured runs.
/// The rows are built before each timer starts; CSV reading and validation are not part of this figure.
/// </summary>
internal static class BulkInsertBench
{
    private const int Rows = 50_000;
    private const int MeasuredRuns = 5;

    public static async Task RunPostgresAsync()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("bench", CancellationToken.None);
        try
        {
            var options = new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql(connectionString).Options;
            await RunAsync("bulk-insert", server.Description, () => new PostgresPortalDbContext(options), "SELECT version() AS \"Value\"");
        }
        finally
        {
            await server.DropDatabaseAsync(connectionString);
        }
    }

    /// <summary>The embedded default, for comparison: batched EF inserts into a temp SQLite file.</summary>
    public static async Task RunSqliteAsync()
    {
        var path = Path.Combine(Path.GetTempPath(), $"b2bportal-bench-{Guid.NewGuid():N}.db");
        try
        {
            var options = new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite($"Data Source={path}").Options;
            await RunAsync("bulk-insert-sqlite", path, () => new SqlitePortalDbContext(options), "SELECT 'SQLite ' || sqlite_version() AS \"Value\"");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    private static async Task RunAsync(string name, string where, Func<PortalDbContext> newContext, string versionSql)
    {
        string version;
        await using (var db = newContext())
        {
            await db.Database.MigrateAsync();
            version = await db.Database.SqlQueryRaw<string>(versionSql).SingleAsync();
        }

        Console.WriteLine($"{name}: {Rows:N0} invitations per batch, 1 warm-up + {MeasuredRuns} measured runs");
        Console.WriteLine($"machine:  {Measurement.Machine()}");
        Console.WriteLine($"database: {where}; {version}");

        var seconds = new List<double>();
        var growth = new List<double>();
        for (var run = 0; run <= MeasuredRuns; run++)
        {
            var batch = NewBatch();
            var invitations = NewInvitations(batch.Id);

            using var measurement = Measurement.Start();
            await using (var db = newContext())
            {
                await using var transaction = await db.Database.BeginTransactionAsync();
                db.Batches.Add(batch);
                await db.SaveChangesAsync();
                await InvitationBulkWriter.InsertAsync(db, invitations, CancellationToken.None);
                await transaction.CommitAsync();
            }

            measurement.Stop();
            var label = run == 0 ? "warm-up" : $"run {run}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {label,-8} {measurement.Elapsed.TotalSeconds:F3} s, peak working-set growth {measurement.PeakGrowthMegabytes:F1} MB"));
            if (run > 0)
            {
                seconds.Add(measurement.Elapsed.TotalSeconds);
                growth.Add(measurement.PeakGrowthMegabytes);
            }
        }

        await using (var check = newContext())
        {
            Console.WriteLine($"stored:   {await check.Invitations.CountAsync():N0} invitations in {await check.Batches.CountAsync()} batches");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"result:   median {Median(seconds):F3} s, min {seconds.Min():F3} s, max peak working-set growth {growth.Max():F1} MB ({Rows / Median(seconds):N0} rows/s)"));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static Batch NewBatch() => new()
    {
        Id = Guid.NewGuid(),
        FileName = "partners-50000.csv",
        Sha256 = new string('0', 64),
        SizeBytes = 9_000_000,
        Format = BatchFormat.Entra,
        Status = BatchStatus.Submitted,
        UploadedBy = "admin@contoso.example",
        UploadedAt = DateTime.UtcNow,
        SubmittedBy = "admin@contoso.example",
        SubmittedAt = DateTime.UtcNow,
        TotalRows = Rows,
        ValidRows = Rows,
    };

    // Rows shaped like a real Entra bulk-invite file: every usual column filled, made-up example.com addresses.
    private static List<Invitation> NewInvitations(Guid batchId)
    {
        var now = DateTime.UtcNow;
        List<string> group = [Guid.NewGuid().ToString()];
        var list = new List<Invitation>(Rows);
        for (var i = 0; i < Rows; i++)
        {
            var email = string.Create(CultureInfo.InvariantCulture, $"guest{i}@partner{i % 97}.example.com");
            list.Add(new Invitation
            {
                BatchId = batchId,
                RowNumber = i + 3,
                Email = email,
                NormalizedEmail = email,
                DisplayName = string.Create(CultureInfo.InvariantCulture, $"Partner Guest {i}"),
                RedirectUrl = "https://myapps.microsoft.com",
                GroupIds = group,
                Language = "en",
                CustomMessage = "Welcome to the Contoso partner workspace.",
                SendEmail = true,
                Status = InvitationStatus.Queued,
                CreatedAt = now,
                UpdatedAt = now,
                QueuedAt = now,
                NextAttemptAt = now,
            });
        }

        return list;
    }
}
