using System.Linq.Expressions;
using NpgsqlTypes;

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

    /// <summary>
    /// The batch and its counts in one statement — one round trip and one snapshot, so a batch state never meets counts
    /// from another moment. What the batch page, its progress poll and the status API read first; compiled once, as
    /// automation polls it in a loop. Null when there is no such batch.
    /// </summary>
    public static async Task<(Batch Batch, StatusCounts Counts)?> BatchWithCountsAsync(this PortalDbContext db, Guid batchId, CancellationToken ct)
    {
        var found = await BatchAndCounts(db, batchId, ct);
        return found is null ? null : (found.Batch, StatusCounts.From(found.Counts.ToDictionary(c => c.Status, c => c.Count)));
    }

    private static readonly Func<PortalDbContext, Guid, CancellationToken, Task<BatchAndCountRows?>> BatchAndCounts =
        EF.CompileAsyncQuery((PortalDbContext db, Guid id, CancellationToken ct) => db.Batches.AsNoTracking()
            .Where(b => b.Id == id)
            .Select(b => new BatchAndCountRows(b, db.BatchStatusCounts.Where(c => c.BatchId == b.Id).ToList()))
            .FirstOrDefault());

    private sealed record BatchAndCountRows(Batch Batch, List<BatchStatusCount> Counts);

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
            query = query.Matching(db, InvitationSearch.Words(cleaned));
        }

        return query.OrderBy(i => i.RowNumber);
    }

    /// <summary>
    /// One page of a batch's rows in file order as <see cref="InvitationsOf"/> selects them, and how many it selects.
    /// Row numbers are picked on an index alone — (BatchId, Status, RowNumber) for a status, (BatchId, RowNumber)
    /// carrying the address and name otherwise — and only the page's rows are read whole: OFFSET over whole rows read
    /// and threw away 24,950 of them for page 500. Without a search the total comes from <paramref name="counts"/>;
    /// a search walks the batch's index once and takes both the total and the page from that one walk.
    /// </summary>
    /// <param name="withAssignments">Also read each row's group, app and sponsor assignments, in the same statement.</param>
    public static async Task<(int Total, List<Invitation> Rows)> PageAsync(
        this PortalDbContext db, Guid batchId, StatusCounts counts, InvitationStatus? status, string? search, int page, int size, CancellationToken ct,
        bool withAssignments = false)
    {
        ArgumentNullException.ThrowIfNull(counts);
        // In long arithmetic: ?page=2147483647 must find nothing, not overflow into a negative OFFSET.
        var skip = (int)Math.Min(int.MaxValue, ((long)Math.Max(1, page) - 1) * size);
        var selected = db.InvitationsOf(batchId, status, search).Select(i => i.RowNumber);
        if (QueryText.Clean(search) is null)
        {
            var numbers = selected.Skip(skip).Take(size);
            return (status is { } s ? counts.Of(s) : counts.Total, await RowsAsync(db, batchId, i => numbers.Contains(i.RowNumber), withAssignments, ct));
        }

        var matches = await selected.ToListAsync(ct);
        var onPage = matches.Skip(skip).Take(size).ToList();
        return (matches.Count, onPage.Count == 0 ? [] : await RowsAsync(db, batchId, i => onPage.Contains(i.RowNumber), withAssignments, ct));
    }

    /// <summary>The whole rows of one batch that <paramref name="onPage"/> picks by row number, in file order.</summary>
    private static Task<List<Invitation>> RowsAsync(
        PortalDbContext db, Guid batchId, Expression<Func<Invitation, bool>> onPage, bool withAssignments, CancellationToken ct)
    {
        var rows = db.Invitations.AsNoTracking().Where(i => i.BatchId == batchId).Where(onPage);
        return (withAssignments ? rows.Include(i => i.Assignments) : rows).OrderBy(i => i.RowNumber).ToListAsync(ct);
    }

    /// <summary>Rows in which every one of <paramref name="words"/> begins a word of the address or name (<see cref="InvitationSearch"/>).</summary>
    private static IQueryable<Invitation> Matching(this IQueryable<Invitation> query, PortalDbContext db, IReadOnlyList<string> words)
    {
        if (words.Count == 0)
        {
            // Only separators typed ("@", "-"): there is no word to look for, so nothing matches.
            return query.Where(i => false);
        }

        if (db.IsPostgres())
        {
            var prefixes = InvitationSearch.PrefixQuery(words);
            return query.Where(i => EF.Property<NpgsqlTsVector>(i, InvitationSearch.VectorProperty).Matches(EF.Functions.ToTsQuery("simple", prefixes)));
        }

        foreach (var word in words)
        {
            // A word of the row starts after a space (the leading one stands for the start of the text).
            var forms = InvitationSearch.Forms(word);
            var typed = "% " + LikeEscape(forms[0]) + "%";
            var lower = "% " + LikeEscape(forms[^1]) + "%";
            query = query.Where(i => EF.Functions.Like(" " + EF.Property<string>(i, InvitationSearch.WordsProperty), typed, "\\")
                || EF.Functions.Like(" " + EF.Property<string>(i, InvitationSearch.WordsProperty), lower, "\\"));
        }

        return query;
    }

    private static string LikeEscape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
