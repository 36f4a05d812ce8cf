using System.Data;
using System.Text;
using AngleSharp.Html.Parser;
using B2BPortal.Simulator.Faults;

namespace B2BPortal.Web.Tests.Pages;

/// <summary>
/// The counts every page and the API show come from BatchStatusCounts, which the database's triggers keep (issue 14).
/// While a batch is sending, is cancelled and re-sent, the counts must equal the rows: in every snapshot of the
/// database, and on the batch page, the dashboard and the API once the batch has settled.
/// </summary>
public sealed class ExactCountsTests(DeliveringPortalFactory portal) : IClassFixture<DeliveringPortalFactory>
{
    private const int Rows = 40;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Counts_WhileABatchIsSendingCancelledAndResent_EqualItsRowsEverywhere()
    {
        portal.Tenant.Tenant.SetFaults(new FaultSettings { LatencyMs = 150 });
        using var api = await portal.CreateAutomationClientAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        var csv = new StringBuilder("Email,DisplayName,InviteContactUsUrl\n");
        for (var n = 0; n < Rows; n++)
        {
            csv.Append(n % 10 == 9 ? $"not-an-address-{n}" : $"count{n}.{run}@partner.example").Append($",Guest {n},https://c.example/\n");
        }

        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString())), "file", "counts.csv" } };
        var created = await (await api.PostAsync("/api/v1/batches", form)).Content.ReadFromJsonAsync<JsonElement>();
        var batchId = created.GetProperty("id").GetGuid();

        // Mid-send: some rows Invited, others still Queued or Sending; every snapshot agrees with the rows.
        var midSend = 0;
        await Eventually.Until(
            async () =>
            {
                var (table, rows) = await SnapshotAsync(batchId);
                Assert.Equal(rows, table);
                midSend += rows.Invited > 0 && rows.InFlight > 0 ? 1 : 0;
                return rows;
            },
            rows => rows.Invited >= 8,
            "8 rows of the batch were invited",
            Patience,
            rows => rows.ToString());

        // Cancel in flight (one bulk update of many rows), then re-send what was cancelled.
        // Rows a worker holds finish as Cancelled when it lets go of them: wait for the batch to come to rest.
        (await api.PostAsync($"/api/v1/batches/{batchId}/cancel", null)).EnsureSuccessStatusCode();
        var afterCancel = await Eventually.Until(
            async () =>
            {
                var (table, rows) = await SnapshotAsync(batchId);
                Assert.Equal(rows, table);
                return rows;
            },
            rows => rows.InFlight == 0,
            "no row of the cancelled batch is queued or sending",
            Patience,
            rows => rows.ToString());
        Assert.True(afterCancel.Cancelled > 0, $"cancel caught rows still to send: {afterCancel}");
        (await api.PostAsJsonAsync($"/api/v1/batches/{batchId}/resend", new { statuses = new[] { "Cancelled" } })).EnsureSuccessStatusCode();

        var settled = await Eventually.Until(
            async () =>
            {
                var (table, rows) = await SnapshotAsync(batchId);
                Assert.Equal(rows, table);
                midSend += rows.Invited > 0 && rows.InFlight > 0 ? 1 : 0;
                return rows;
            },
            rows => rows.InFlight == 0 && rows.Cancelled == 0,
            "every row of the batch was sent again after the cancel",
            Patience,
            rows => rows.ToString());
        Assert.True(midSend >= 2, $"the test looked {midSend} time(s) while rows were both invited and in flight; it must see sending happen");
        Assert.Equal(new StatusCounts(0, 0, 0, Rows - 4, 0, 0, 4, 0), settled);

        // What the admin and automation see: the batch page, the API and the dashboard's totals.
        using var admin = await portal.SignInAsync(SimulatedTenantDefaults.GlobalAdminUpn);
        var page = new HtmlParser().ParseDocument(await admin.GetStringAsync($"/Batches/Details/{batchId}?status=Invited"));
        foreach (var status in Enum.GetValues<InvitationStatus>().Where(s => page.QuerySelector($"[data-count={s}]") is not null))
        {
            Assert.Equal(settled.Of(status).ToString("N0", System.Globalization.CultureInfo.CurrentCulture), page.QuerySelector($"[data-count={status}]")!.TextContent.Trim());
        }

        var detail = await api.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{batchId}");
        Assert.Equal(Rows - 4, detail.GetProperty("counts").GetProperty("invited").GetInt32());
        Assert.Equal(4, detail.GetProperty("counts").GetProperty("invalid").GetInt32());
        var listed = await api.GetFromJsonAsync<JsonElement>($"/api/v1/batches/{batchId}/invitations?status=Invited&pageSize=10&page=4");
        Assert.Equal(Rows - 4, listed.GetProperty("total").GetInt32());
        Assert.Equal(6, listed.GetProperty("items").GetArrayLength());

        await using var db = portal.CreateDbContext();
        var everyRow = await db.Invitations.CountAsync(i => i.Status == InvitationStatus.Invited);
        var dashboard = new HtmlParser().ParseDocument(await admin.GetStringAsync("/"));
        Assert.Equal(everyRow.ToString("N0", System.Globalization.CultureInfo.CurrentCulture), dashboard.QuerySelector("[data-total=invited]")!.TextContent.Trim());
    }

    /// <summary>The counts table and a GROUP BY of the rows, read in one repeatable-read snapshot.</summary>
    private async Task<(StatusCounts Table, StatusCounts Rows)> SnapshotAsync(Guid batchId)
    {
        await using var db = portal.CreateDbContext();
        await using var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        var table = StatusCounts.From(await db.BatchStatusCounts.Where(c => c.BatchId == batchId).ToDictionaryAsync(c => c.Status, c => c.Count));
        var grouped = await db.Invitations.Where(i => i.BatchId == batchId).GroupBy(i => i.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        return (table, StatusCounts.From(grouped.ToDictionary(g => g.Key, g => g.Count)));
    }
}
