using Microsoft.Extensions.Caching.Memory;

namespace B2BPortal.Web.Pages;

/// <summary>The dashboard: totals, acceptance rate, sent/accepted per day, pacing state and batches that need attention.</summary>
public sealed class IndexModel(PortalDbContext db, SendingControl actions, TimeProvider time, IOptions<PortalOptions> options, IMemoryCache cache) : PageModel
{
    public const int ChartDays = 30;

    /// <summary>Only the newest batches are scanned for problems: bounded work however long the history grows.</summary>
    public const int AttentionWindow = 500;

    /// <summary>
    /// While the counts stay the same, the per-day chart is read again at most this often: it adds up a month of rows
    /// (80,000 at a million a year). Counts and the attention list are never cached, and a change in the counts
    /// reads the chart again, so an admin who just sent, cancelled or re-sent sees it at once.
    /// </summary>
    public static readonly TimeSpan ChartFreshness = TimeSpan.FromMinutes(1);

    public StatusCounts Totals { get; private set; } = StatusCounts.None;

    public int WaitingToSend => Totals.InFlight;

    public PacingState? Pacing { get; private set; }

    public IReadOnlyList<AttentionItem> NeedsAttention { get; private set; } = [];

    public IReadOnlyList<DateOnly> Days { get; private set; } = [];

    public IReadOnlyList<int> SentPerDay { get; private set; } = [];

    public IReadOnlyList<int> AcceptedPerDay { get; private set; } = [];

    public int StaleAfterDays { get; private set; }

    /// <summary>No group or application is assignable yet (a real tenant's start): rows naming any are Invalid until a Global Administrator adds them.</summary>
    public bool AssignableListEmpty { get; private set; }

    public bool IsGlobalAdministrator => PortalAccessOptions.IsGlobalAdministrator(User);

    [TempData]
    public string? Message { get; set; }

    public double? AcceptanceRate => Totals.Invited + Totals.Accepted == 0 ? null : 100.0 * Totals.Accepted / (Totals.Invited + Totals.Accepted);

    public sealed record AttentionItem(Guid Id, string FileName, DateTime UploadedAt, BatchStatus Status, int Failed, int Stale, bool Queued, string? PausedReason);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        StaleAfterDays = options.Value.StaleAfterDays;
        var staleBefore = now.AddDays(-StaleAfterDays);

        Totals = await StatusCounts.OfAllBatchesAsync(db, ct);
        AssignableListEmpty = !await db.AssignableTargets.AnyAsync(ct);
        Pacing = await actions.GetPacingStateAsync(ct);
        var paused = Pacing.IsPaused;

        var today = DateOnly.FromDateTime(now);
        var from = today.AddDays(-(ChartDays - 1)).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        Days = Enumerable.Range(0, ChartDays).Select(d => today.AddDays(d - (ChartDays - 1))).ToList();
        // Keyed by the counts as well: any invitation sent, accepted, failed or re-queued since the last read moves
        // them, so the chart is read again at once; unchanged counts reuse it for up to ChartFreshness.
        var (sent, accepted) = (await cache.GetOrCreateAsync(("dashboard-chart", today, Totals), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = ChartFreshness;
            return (await PerDayAsync(db.Invitations.Where(i => i.InvitedAt >= from).Select(i => i.InvitedAt!.Value), ct),
                await PerDayAsync(db.Invitations.Where(i => i.AcceptedAt >= from).Select(i => i.AcceptedAt!.Value), ct));
        }))!;
        SentPerDay = Days.Select(d => sent.GetValueOrDefault(d)).ToList();
        AcceptedPerDay = Days.Select(d => accepted.GetValueOrDefault(d)).ToList();

        // Per batch: counts from BatchStatusCounts, stale invitations from IX_Invitations_Pending (index-only ranges).
        var window = db.Batches.AsNoTracking().OrderByDescending(b => b.UploadedAt).Take(AttentionWindow);
        var counts = db.BatchStatusCounts;
        NeedsAttention = await window
            .Where(b => b.Status == BatchStatus.Review
                || b.PausedReason != null
                || counts.Any(c => c.BatchId == b.Id && c.Status == InvitationStatus.Failed && c.Count > 0)
                || db.Invitations.Any(i => i.BatchId == b.Id && i.Status == InvitationStatus.Invited && i.InvitedAt < staleBefore)
                || (paused && counts.Any(c => c.BatchId == b.Id && c.Status == InvitationStatus.Queued && c.Count > 0)))
            .OrderByDescending(b => b.UploadedAt)
            .Take(10)
            .Select(b => new AttentionItem(
                b.Id,
                b.FileName,
                b.UploadedAt,
                b.Status,
                counts.Where(c => c.BatchId == b.Id && c.Status == InvitationStatus.Failed).Sum(c => c.Count),
                db.Invitations.Count(i => i.BatchId == b.Id && i.Status == InvitationStatus.Invited && i.InvitedAt < staleBefore),
                paused && b.Status == BatchStatus.Submitted && counts.Any(c => c.BatchId == b.Id && c.Status == InvitationStatus.Queued && c.Count > 0),
                b.PausedReason))
            .ToListAsync(ct);
    }

    public async Task<IActionResult> OnPostResumeAsync(CancellationToken ct)
    {
        await actions.ResumeTenantAsync(User.ActorName(), ct);
        Message = "Sending resumed. Rows that waited during the pause go out now.";
        return RedirectToPage();
    }

    private static async Task<Dictionary<DateOnly, int>> PerDayAsync(IQueryable<DateTime> times, CancellationToken ct)
    {
        var rows = await times.GroupBy(t => t.Date).Select(g => new { Day = g.Key, Count = g.Count() }).ToListAsync(ct);
        return rows.ToDictionary(r => DateOnly.FromDateTime(r.Day), r => r.Count);
    }
}
