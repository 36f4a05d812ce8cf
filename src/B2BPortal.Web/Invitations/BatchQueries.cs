using B2BPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace B2BPortal.Web.Invitations;

/// <summary>Counts per status for one batch (or all), and the one definition of progress the pages and the API show.</summary>
public sealed record StatusCounts(int Held, int Queued, int Sending, int Invited, int Accepted, int Failed, int Invalid, int Cancelled)
{
    public static readonly StatusCounts None = new(0, 0, 0, 0, 0, 0, 0, 0);

    public int Total => Held + Queued + Sending + Invited + Accepted + Failed + Invalid + Cancelled;

    /// <summary>Rows that go (or went) to Graph: everything but invalid ones.</summary>
    public int ToSend => Total - Invalid;

    /// <summary>Rows still to be sent or being sent.</summary>
    public int InFlight => Queued + Sending;

    /// <summary>Rows whose sending is over (sent, accepted, failed or cancelled).</summary>
    public int Processed => ToSend - Held - InFlight;

    /// <summary>The count of one status (the inverse of <see cref="From"/>).</summary>
    public int Of(InvitationStatus status) => status switch
    {
        InvitationStatus.Held => Held,
        InvitationStatus.Queued => Queued,
        InvitationStatus.Sending => Sending,
        InvitationStatus.Invited => Invited,
        InvitationStatus.Accepted => Accepted,
        InvitationStatus.Failed => Failed,
        InvitationStatus.Invalid => Invalid,
        InvitationStatus.Cancelled => Cancelled,
        _ => 0,
    };

    /// <summary>Sent (not under review) and nothing left to send; guests may still accept later.</summary>
    public bool IsDone(BatchStatus batch) => batch is not BatchStatus.Review && InFlight == 0;

    public static StatusCounts From(IReadOnlyDictionary<InvitationStatus, int> counts)
    {
        int Get(InvitationStatus status) => counts.TryGetValue(status, out var n) ? n : 0;
        return new StatusCounts(
            Get(InvitationStatus.Held),
            Get(InvitationStatus.Queued),
            Get(InvitationStatus.Sending),
            Get(InvitationStatus.Invited),
            Get(InvitationStatus.Accepted),
            Get(InvitationStatus.Failed),
            Get(InvitationStatus.Invalid),
            Get(InvitationStatus.Cancelled));
    }
}

/// <summary>Read queries shared by the pages and the API; all paged or aggregated, never whole tables.</summary>
public static class BatchQueries
{
    public const int MaxPageSize = 200;

    /// <summary>A batch's counts: a few rows the database keeps exact (<see cref="BatchStatusCount"/>), never a scan of its rows.</summary>
    public static async Task<StatusCounts> CountsAsync(this PortalDbContext db, Guid batchId, CancellationToken ct)
    {
        var rows = await db.BatchStatusCounts.AsNoTracking()
            .Where(c => c.BatchId == batchId)
            .Select(c => new { c.Status, c.Count })
            .ToListAsync(ct);
        return StatusCounts.From(rows.ToDictionary(r => r.Status, r => r.Count));
    }

    /// <summary>Every batch's counts added up (the dashboard): one row per batch and status, not one per invitation.</summary>
    public static async Task<StatusCounts> TotalsAsync(this PortalDbContext db, CancellationToken ct)
    {
        var rows = await db.BatchStatusCounts.AsNoTracking()
            .GroupBy(c => c.Status)
            .Select(g => new { Status = g.Key, Count = g.Sum(c => c.Count) })
            .ToListAsync(ct);
        return StatusCounts.From(rows.ToDictionary(r => r.Status, r => r.Count));
    }

    public static (int Page, int PageSize) Clamp(int? page, int? pageSize, int defaultSize = 50) =>
        (Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? defaultSize, 1, MaxPageSize));

    public static IQueryable<Invitation> InvitationsOf(this PortalDbContext db, Guid batchId, InvitationStatus? status, string? search)
    {
        var query = db.Invitations.AsNoTracking().Where(i => i.BatchId == batchId);
        if (status is { } s)
        {
            query = query.Where(i => i.Status == s);
        }

        if (QueryText.Clean(search) is { } cleaned)
        {
            // LIKE '%term%' (not strpos, which Contains becomes): the form PostgreSQL's trigram indexes on the address
            // and the lower-cased name answer (migration SearchIndexes), so a search does not read the whole batch.
            var pattern = "%" + LikeEscape(cleaned.ToLowerInvariant()) + "%";
            query = query.Where(i => EF.Functions.Like(i.NormalizedEmail, pattern, "\\")
                || (i.DisplayName != null && EF.Functions.Like(i.DisplayName.ToLower(), pattern, "\\")));
        }

        return query.OrderBy(i => i.RowNumber);
    }

    /// <summary>
    /// One page of a batch's rows in file order (<paramref name="ordered"/> comes from <see cref="InvitationsOf"/>).
    /// Page 500 would read and throw away 24,950 whole rows with OFFSET; instead the page's first row number is found
    /// on the (BatchId[, Status], RowNumber) index alone, and the page is read from there: page numbers stay, the cost
    /// of a late page is an index walk.
    /// </summary>
    public static async Task<List<Invitation>> PageAsync(this IQueryable<Invitation> ordered, int page, int size, CancellationToken ct)
    {
        if (page <= 1)
        {
            return await ordered.Take(size).ToListAsync(ct);
        }

        var first = await ordered.Select(i => (int?)i.RowNumber).Skip((page - 1) * size).FirstOrDefaultAsync(ct);
        return first is null ? [] : await ordered.Where(i => i.RowNumber >= first).Take(size).ToListAsync(ct);
    }

    /// <summary>How many rows <see cref="InvitationsOf"/> answers: from the counts unless a search needs the rows.</summary>
    public static async Task<int> FilteredCountAsync(this PortalDbContext db, Guid batchId, StatusCounts counts, InvitationStatus? status, string? search, CancellationToken ct) =>
        QueryText.Clean(search) is not null ? await db.InvitationsOf(batchId, status, search).CountAsync(ct)
        : status is { } s ? counts.Of(s)
        : counts.Total;

    private static string LikeEscape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
