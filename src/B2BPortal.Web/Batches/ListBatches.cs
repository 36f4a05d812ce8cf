namespace B2BPortal.Web.Batches;

/// <summary>All batches, newest first, one page at a time: the batches list (<c>/Batches</c>) and <c>GET /api/v1/batches</c>.</summary>
public sealed class ListBatches(PortalDbContext db)
{
    public sealed record Query(int Page, int PageSize);

    public sealed record Result(int Total, IReadOnlyList<Batch> Batches, int Page, int PageSize)
    {
        public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    }

    public async Task<Result> HandleAsync(Query query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = Math.Max(1, query.Page);
        var total = await db.Batches.CountAsync(ct);
        var batches = await db.Batches.AsNoTracking()
            .OrderByDescending(b => b.UploadedAt)
            .Skip((int)Math.Min(int.MaxValue, ((long)page - 1) * query.PageSize))
            .Take(query.PageSize)
            .ToListAsync(ct);
        return new Result(total, batches, page, query.PageSize);
    }
}
