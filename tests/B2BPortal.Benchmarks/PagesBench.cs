using System.Diagnostics;
using System.Globalization;
using B2BPortal.Web.Data;
using B2BPortal.Web.Delivery;
using B2BPortal.Web.Hosting;
using B2BPortal.Web.Invitations;
using B2BPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using AuditPage = B2BPortal.Web.Pages.Audit.IndexModel;
using BatchesPage = B2BPortal.Web.Pages.Batches.IndexModel;
using DashboardPage = B2BPortal.Web.Pages.IndexModel;
using DetailsPage = B2BPortal.Web.Pages.Batches.DetailsModel;

namespace B2BPortal.Benchmarks;

/// <summary>
/// Server time of the admin pages with 1,000,000 invitations in PostgreSQL: the pages' own handlers (every query a
/// page runs, through the real DI container and DbContext), without Razor rendering or HTTP. Seeds 19 batches of
/// 50,000 rows and 50 of 1,000 (binary COPY through InvitationBulkWriter) spread over a year, 20,000 audit entries,
/// then VACUUM ANALYZE (the state autovacuum keeps a live database in). Prints median and p95 of 25 runs after 3 warm-ups.
/// </summary>
internal static class PagesBench
{
    private const int Warmups = 3;
    private const int Runs = 25;

    public static async Task RunAsync()
    {
        var server = await PostgresServer.GetAsync();
        var connectionString = await server.CreateDatabaseAsync("pages-bench", CancellationToken.None);
        try
        {
            await using var services = BenchServices.Build(connectionString);
            await services.MigratePortalDatabaseAsync(CancellationToken.None);
            Console.WriteLine("pages: server time of the admin pages' handlers with 1,000,000 invitations");
            Console.WriteLine($"machine:  {Measurement.Machine()}");
            Console.WriteLine($"database: {server.Description}");

            var seeding = Stopwatch.StartNew();
            var (big, bigFailedSearch) = await SeedAsync(services);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded:   1,000,000 invitations, 69 batches, 20,000 audit entries in {seeding.Elapsed.TotalSeconds:F1} s (incl. VACUUM ANALYZE)"));

            await TimeAsync(services, "dashboard", sp => Run<DashboardPage>(sp, p => p.OnGetAsync(default)));
            await TimeAsync(services, "batches list, page 1", sp => Run<BatchesPage>(sp, p => p.OnGetAsync(page: null, default)));
            await TimeAsync(services, "batch detail (50,000 rows), page 1", sp => Run<DetailsPage>(sp, p => { p.Id = big; return p.OnGetAsync(status: null, search: null, page: null, confirm: null, default); }));
            await TimeAsync(services, "batch detail, status=Failed, page 3", sp => Run<DetailsPage>(sp, p =>
            {
                p.Id = big;
                return p.OnGetAsync(InvitationStatus.Failed, search: null, page: 3, confirm: null, default);
            }));
            await TimeAsync(services, "batch detail, search by email", sp => Run<DetailsPage>(sp, p =>
            {
                p.Id = big;
                return p.OnGetAsync(status: null, bigFailedSearch, page: null, confirm: null, default);
            }));
            var ids = await Query(services, db => db.Invitations.Where(i => i.BatchId == big).OrderBy(i => i.RowNumber).Take(DetailsPage.PageSize).Select(i => i.Id).ToListAsync());
            var idList = string.Join(',', ids);
            await TimeAsync(services, "batch progress poll (50 rows)", sp => Run<DetailsPage>(sp, p => { p.Id = big; return p.OnGetProgressAsync(idList, default); }));
            await TimeAsync(services, "audit log, page 1", sp => Run<AuditPage>(sp, p => p.OnGetAsync(page: null, default)));
            await TimeAsync(services, "audit log, actor+action+dates, page 2", sp => Run<AuditPage>(sp, p =>
            {
                p.Actor = "admin3";
                p.Action = "Resent";
                p.From = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-200));
                p.To = DateOnly.FromDateTime(DateTime.UtcNow);
                return p.OnGetAsync(page: 2, default);
            }));
        }
        finally
        {
            // B2BPORTAL_BENCH_KEEP=1 leaves the database for EXPLAIN ANALYZE while the cluster runs.
            if (Environment.GetEnvironmentVariable("B2BPORTAL_BENCH_KEEP") == "1")
            {
                Console.WriteLine($"kept:     {connectionString}; press Enter to drop it");
                Console.ReadLine();
            }

            await server.DropDatabaseAsync(connectionString);
        }
    }

    private static async Task Run<TPage>(IServiceProvider services, Func<TPage, Task> handler)
        where TPage : PageModel
    {
        var page = ActivatorUtilities.CreateInstance<TPage>(services);
        await handler(page);
    }

    private static async Task TimeAsync(ServiceProvider services, string name, Func<IServiceProvider, Task> page)
    {
        var times = new List<double>();
        for (var run = 0; run < Warmups + Runs; run++)
        {
            await using var scope = services.CreateAsyncScope();
            var watch = Stopwatch.StartNew();
            await page(scope.ServiceProvider);
            if (run >= Warmups)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name,-40} median {times[times.Count / 2],7:F1} ms   p95 {times[(int)(times.Count * 0.95)],7:F1} ms   max {times[^1],7:F1} ms"));
    }

    private static async Task<T> Query<T>(ServiceProvider services, Func<PortalDbContext, Task<T>> query)
    {
        await using var scope = services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    /// <summary>Returns the newest big batch (still sending) and an address in it to search for.</summary>
    internal static async Task<(Guid Big, string Search)> SeedAsync(ServiceProvider services)
    {
        var now = DateTime.UtcNow;
        var sizes = Enumerable.Repeat(50_000, 19).Concat(Enumerable.Repeat(1_000, 50)).ToList();
        Guid big = default;
        var number = 0;
        for (var b = 0; b < sizes.Count; b++)
        {
            // Oldest first; the last big batch is the newest of the big ones and is still going out.
            var uploaded = now.AddDays(-(365.0 * (sizes.Count - b) / sizes.Count)).AddMinutes(-5);
            var sending = b == 18;
            var batch = new Batch
            {
                Id = Guid.CreateVersion7(),
                FileName = $"partners-{b:000}.csv",
                Sha256 = new string('a', 64),
                UploadedBy = $"admin{b % 7}@contoso.example",
                UploadedAt = uploaded,
                SubmittedBy = $"admin{b % 7}@contoso.example",
                SubmittedAt = uploaded.AddMinutes(2),
                Status = BatchStatus.Submitted,
                Format = BatchFormat.Legacy,
                TotalRows = sizes[b],
            };
            var rows = new List<Invitation>(sizes[b]);
            for (var i = 0; i < sizes[b]; i++)
            {
                number++;
                var status = Status(i, sending);
                var invited = status is InvitationStatus.Invited or InvitationStatus.Accepted or InvitationStatus.Failed ? uploaded.AddSeconds(3 + (i / 25.0)) : (DateTime?)null;
                var accepted = status == InvitationStatus.Accepted ? Min(invited!.Value.AddHours(1 + (i % 400)), now) : (DateTime?)null;
                var email = $"guest{number}@partner{number % 501}.example.com";
                rows.Add(new Invitation
                {
                    BatchId = batch.Id,
                    RowNumber = i + 2,
                    Email = email,
                    NormalizedEmail = email,
                    DisplayName = $"Guest {number}",
                    ContactUsUrl = "https://partner.example.com/contact",
                    Language = i % 5 == 0 ? "de" : null,
                    Status = status,
                    Attempts = status == InvitationStatus.Queued ? 0 : 1,
                    LastError = status == InvitationStatus.Failed ? "This invitation is blocked by cross-tenant access settings." : null,
                    ValidationErrors = status == InvitationStatus.Invalid ? [new RowError("Email", "not an address")] : null,
                    GraphUserId = invited is null ? null : Guid.NewGuid().ToString(),
                    CreatedAt = uploaded,
                    UpdatedAt = accepted ?? invited ?? uploaded,
                    QueuedAt = uploaded.AddMinutes(2),
                    InvitedAt = invited,
                    AcceptedAt = accepted,
                });
            }

            batch.ValidRows = rows.Count(r => r.Status != InvitationStatus.Invalid);
            batch.InvalidRows = rows.Count - batch.ValidRows;
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Batches.Add(batch);
            await db.SaveChangesAsync();
            await InvitationBulkWriter.InsertAsync(db, rows, CancellationToken.None);
            await tx.CommitAsync();
            if (sending)
            {
                big = batch.Id;
            }
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            await db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO "AuditEntries" ("At", "Actor", "Action", "BatchId", "Detail")
                SELECT now() - (g * interval '26 minutes'), 'admin' || (g % 7) || '@contoso.example', (ARRAY['Uploaded', 'Submitted', 'Resent', 'Cancelled', 'Discarded', 'Resumed'])[1 + g % 6], NULL, g || ' invitations'
                FROM generate_series(1, 20000) AS g
                """);
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE");
            var search = await db.Invitations.Where(i => i.BatchId == big && i.Status == InvitationStatus.Failed).OrderBy(i => i.RowNumber).Select(i => i.NormalizedEmail).Skip(100).FirstAsync();
            return (big, search[..search.IndexOf('@', StringComparison.Ordinal)]);
        }
    }

    /// <summary>A year of history: most accepted, a fifth waiting, a few failed, cancelled and invalid; the sending batch is 40 % queued.</summary>
    private static InvitationStatus Status(int i, bool sending) => (i % 100) switch
    {
        < 40 when sending => i % 2 == 0 ? InvitationStatus.Queued : InvitationStatus.Invited,
        < 60 => InvitationStatus.Accepted,
        < 80 => InvitationStatus.Invited,
        < 85 => InvitationStatus.Failed,
        < 88 => InvitationStatus.Cancelled,
        < 90 => InvitationStatus.Invalid,
        _ => InvitationStatus.Accepted,
    };

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
