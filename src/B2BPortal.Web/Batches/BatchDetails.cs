using System.Linq.Expressions;

namespace B2BPortal.Web.Batches;

/// <summary>
/// Read one batch: its state with its counts — where "done", "live" and the progress an admin reads are defined, once —
/// and a page of its rows in file order, by status and by the words of an address or name. The batch page
/// (<c>/Batches/Details/{id}</c> and the progress it polls), <c>GET /api/v1/batches/{id}</c> and
/// <c>GET /api/v1/batches/{id}/invitations</c>.
/// </summary>
public sealed class BatchDetails(PortalDbContext db)
{
    public sealed record Query(Guid BatchId);

    /// <summary>A batch and its counts, read from one snapshot, and what they say about its sending.</summary>
    public sealed record Result(Batch Batch, StatusCounts Counts)
    {
        /// <summary>Sent (not under review) and nothing left to send; guests may still accept later.</summary>
        public bool Done => Batch.Status is not BatchStatus.Review && Counts.InFlight == 0;

        /// <summary>Anything can still change on its own (sending, or guests yet to accept): the page keeps asking for updates.</summary>
        public bool Live => Batch.Status is BatchStatus.Submitted or BatchStatus.Cancelled && Counts.InFlight + Counts.Invited > 0;

        /// <summary>Where the sending is, in the words an admin reads on the batch page.</summary>
        public string Progress => Batch.Status switch
        {
            BatchStatus.Review => "Waiting for review: nothing has been sent.",
            BatchStatus.Discarded => "Discarded: nothing was sent.",
            _ when Done => Counts.ToSend == 1 ? "The invitation was processed." : $"All {Plural.Of(Counts.ToSend, "invitation")} processed.",
            _ => $"Sending: {Counts.Processed:N0} of {Plural.Of(Counts.ToSend, "invitation")} processed, {Counts.InFlight:N0} to go.",
        };
    }

    /// <param name="Status">Only the rows in this status; null for all.</param>
    /// <param name="Search">Words each of which must begin a word of the row's address or name (<see cref="InvitationSearch"/>).</param>
    /// <param name="Page">From 1; a page past the end is empty.</param>
    /// <param name="WithAssignments">Also read each row's group, app and sponsor assignments (in the same statement).</param>
    public sealed record RowsQuery(InvitationStatus? Status, string? Search, int Page, int PageSize, bool WithAssignments = false);

    /// <param name="Total">How many rows the query selects, on every page.</param>
    public sealed record Rows(int Total, IReadOnlyList<Invitation> Items, int Page, int PageSize)
    {
        public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    }

    /// <summary>
    /// The batch and its counts in one statement — one round trip and one snapshot, so a batch state never meets counts
    /// from another moment. Compiled once, as automation polls it in a loop. Null when there is no such batch.
    /// </summary>
    public async Task<Result?> HandleAsync(Query query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var found = await BatchAndCounts(db, query.BatchId, ct);
        return found is null ? null : new Result(found.Batch, StatusCounts.From(found.Counts.ToDictionary(c => c.Status, c => c.Count)));
    }

    /// <summary>
    /// One page of <paramref name="batch"/>'s rows in file order, and how many the query selects. Row numbers are picked
    /// on an index alone — (BatchId, Status, RowNumber) for a status, (BatchId, RowNumber) carrying the address and name
    /// otherwise — and only the page's rows are read whole: OFFSET over whole rows read and threw away 24,950 of them for
    /// page 500. Without a search the total comes from the batch's counts; a search walks the batch's index once and takes
    /// both the total and the page from that one walk.
    /// </summary>
    public async Task<Rows> RowsAsync(Result batch, RowsQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(query);
        var (status, search, page, size, withAssignments) = query;
        page = Math.Max(1, page);
        var batchId = batch.Batch.Id;
        // In long arithmetic: ?page=2147483647 must find nothing, not overflow into a negative OFFSET.
        var skip = (int)Math.Min(int.MaxValue, ((long)page - 1) * size);
        var selected = Selected(db, batchId, status, search).Select(i => i.RowNumber);
        if (QueryText.Clean(search) is null)
        {
            var numbers = selected.Skip(skip).Take(size);
            var total = status is { } s ? batch.Counts.Of(s) : batch.Counts.Total;
            return new Rows(total, await WholeRowsAsync(batchId, i => numbers.Contains(i.RowNumber), withAssignments, ct), page, size);
        }

        var matches = await selected.ToListAsync(ct);
        var onPage = matches.Skip(skip).Take(size).ToList();
        return new Rows(matches.Count, onPage.Count == 0 ? [] : await WholeRowsAsync(batchId, i => onPage.Contains(i.RowNumber), withAssignments, ct), page, size);
    }

    /// <summary>The rows of a batch a status and a search select, in file order (what <see cref="RowsAsync"/> pages through).</summary>
    internal static IQueryable<Invitation> Selected(PortalDbContext db, Guid batchId, InvitationStatus? status, string? search)
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

    /// <summary>The whole rows of one batch that <paramref name="onPage"/> picks by row number, in file order.</summary>
    private Task<List<Invitation>> WholeRowsAsync(Guid batchId, Expression<Func<Invitation, bool>> onPage, bool withAssignments, CancellationToken ct)
    {
        var rows = db.Invitations.AsNoTracking().Where(i => i.BatchId == batchId).Where(onPage);
        return (withAssignments ? rows.Include(i => i.Assignments) : rows).OrderBy(i => i.RowNumber).ToListAsync(ct);
    }

    private static readonly Func<PortalDbContext, Guid, CancellationToken, Task<BatchAndCountRows?>> BatchAndCounts =
        EF.CompileAsyncQuery((PortalDbContext db, Guid id, CancellationToken ct) => db.Batches.AsNoTracking()
            .Where(b => b.Id == id)
            .Select(b => new BatchAndCountRows(b, db.BatchStatusCounts.Where(c => c.BatchId == b.Id).ToList()))
            .FirstOrDefault());

    private sealed record BatchAndCountRows(Batch Batch, List<BatchStatusCount> Counts);
}
