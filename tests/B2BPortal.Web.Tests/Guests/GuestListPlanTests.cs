using System.Text.RegularExpressions;
using B2BPortal.Web.Guests;

namespace B2BPortal.Web.Tests.Guests;

/// <summary>
/// The Guests page's query (latest row per guest, keyset on Id) is served by indexes, not by reading the table: with
/// 100,000 invitations of 60,000 guests (analyzed), PostgreSQL's plan for the first and a late page walks the primary
/// key backwards and answers "is there a later row of this guest?" from IX_Invitations_Guests, with no sequential scan;
/// clean-up's candidate queries start from the indexes that narrow them by date.
/// </summary>
public sealed partial class GuestListPlanTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task GuestList_FirstAndLatePage_AreServedByIndexes()
    {
        using var client = portal.CreatePortalClient(); // starts the portal, which migrates the database
        await using var db = portal.CreateDbContext();
        var batch = new Batch
        {
            Id = Guid.NewGuid(), FileName = "plan.csv", Sha256 = new string('c', 64), Format = BatchFormat.Entra,
            Status = BatchStatus.Submitted, UploadedBy = "admin@contoso.example", UploadedAt = DateTime.UtcNow,
        };
        db.Batches.Add(batch);
        await db.SaveChangesAsync();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Invitations" ("BatchId", "RowNumber", "Email", "NormalizedEmail", "SendEmail", "Status", "Attempts",
                                       "CreatedAt", "UpdatedAt", "GraphUserId", "InvitedAt")
            SELECT {batch.Id}, n + 1, 'g' || (n % 60000) || '@fabrikam.example', 'g' || (n % 60000) || '@fabrikam.example', true,
                   'Invited', 1, now(), now(), md5((n % 60000)::text), now()
            FROM generate_series(1, 100000) AS n
            """);
        await db.Database.ExecuteSqlRawAsync("ANALYZE \"Invitations\"");
        var middle = await db.Invitations.OrderBy(i => i.Id).Skip(70_000).Select(i => i.Id).FirstAsync();

        foreach (var before in new long?[] { null, middle })
        {
            var query = GuestCleanup.LatestPerGuest(db, before).OrderByDescending(i => i.Id).Take(51).Select(i => new { i.Id, i.Email, i.GraphUserId });
            var explain = "EXPLAIN " + Inline(query.ToQueryString());
#pragma warning disable EF1003 // the portal's own generated SQL with its parameter values inlined, not input
            var plan = string.Join('\n', await db.Database.SqlQueryRaw<string>(explain).ToListAsync());
#pragma warning restore EF1003

            Assert.Contains("IX_Invitations_Guests", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
            Assert.Equal(51, await query.CountAsync());
        }

        // Clean-up's candidates: none is due, and finding that out is an index range on the rule's date, not a table scan.
        var cutoff = DateTime.UtcNow.AddDays(-30);
        foreach (var (candidates, dateRange) in new[]
        {
            (GuestCleanup.UnacceptedCandidates(db, cutoff, null), "Index Cond: (\"InvitedAt\" <="),
            (GuestCleanup.InactiveCandidates(db, cutoff, null), "Index Cond: (\"AcceptedAt\" <="),
        })
        {
            var query = candidates.OrderByDescending(i => i.Id).Take(1000).Select(i => i.Id);
            var explain = "EXPLAIN " + Inline(query.ToQueryString());
#pragma warning disable EF1003 // the portal's own generated SQL with its parameter values inlined, not input
            var plan = string.Join('\n', await db.Database.SqlQueryRaw<string>(explain).ToListAsync());
#pragma warning restore EF1003

            Assert.True(plan.Contains(dateRange, StringComparison.Ordinal), plan);
            Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
            Assert.Equal(0, await query.CountAsync());
        }
    }

    /// <summary>Npgsql's ToQueryString declares parameters in comments ("-- @before='70001' (Nullable = true)"); EXPLAIN needs the values inline.</summary>
    private static string Inline(string sql)
    {
        var values = ParameterLine().Matches(sql).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var body = string.Join('\n', sql.Split('\n').Where(line => !line.StartsWith("--", StringComparison.Ordinal)));
        foreach (var (name, value) in values.OrderByDescending(v => v.Key.Length))
        {
            var literal = long.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out _)
                ? value
                : $"'{value}'";
            body = body.Replace(name, literal, StringComparison.Ordinal);
        }

        return body;
    }

    [GeneratedRegex(@"^-- (@\w+)='([^']*)'", RegexOptions.Multiline)]
    private static partial Regex ParameterLine();
}
