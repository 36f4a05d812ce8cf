namespace B2BPortal.Web.Pages.Batches;

/// <summary>All batches, newest first, paged (<see cref="ListBatches"/>).</summary>
public sealed class IndexModel(ListBatches list) : PageModel
{
    public const int PageSize = 25;

    public int PageNumber { get; private set; } = 1;

    public IReadOnlyList<Batch> Batches { get; private set; } = [];

    public int Total { get; private set; }

    public int Pages { get; private set; } = 1;

    // `page` is also the route value that holds this page's path, and model binding reads route values before the query
    // string: the number is read from the query string by name.
    public async Task OnGetAsync([FromQuery] int? page, CancellationToken ct)
    {
        var found = await list.HandleAsync(new ListBatches.Query(page ?? 1, PageSize), ct);
        (PageNumber, Total, Batches, Pages) = (found.Page, found.Total, found.Batches, found.Pages);
    }
}
