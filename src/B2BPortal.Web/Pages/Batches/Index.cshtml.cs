namespace B2BPortal.Web.Pages.Batches;

/// <summary>All batches, newest first, paged (<see cref="ListBatches"/>).</summary>
public sealed class IndexModel(ListBatches list) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Batch> Batches { get; private set; } = [];

    public int Total { get; private set; }

    public int Pages { get; private set; } = 1;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var found = await list.HandleAsync(new ListBatches.Query(PageNumber, PageSize), ct);
        (PageNumber, Total, Batches, Pages) = (found.Page, found.Total, found.Batches, found.Pages);
    }
}
