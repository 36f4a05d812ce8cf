namespace B2BPortal.Web.Pages.Audit;

/// <summary>Who uploaded, submitted, cancelled, re-sent what and when; filterable by person, action and date range, paged.</summary>
public sealed class IndexModel(PortalDbContext db) : PageModel
{
    public const int PageSize = 50;

    public static readonly string[] Actions = ["Uploaded", "Submitted", "Discarded", "Cancelled", "Resent", "Paused", "Resumed", "AssignableAdded", "AssignableRemoved", "GuestReinvited", "GuestRemoved", "GuestRestored", "CleanupRun"];

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    /// <summary>First day shown (UTC, inclusive).</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    /// <summary>Last day shown (UTC, inclusive).</summary>
    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    public int PageNumber { get; private set; } = 1;

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public bool HasMore { get; private set; }

    public bool IsFiltered => QueryText.Clean(Actor) is not null || QueryText.Clean(Action) is not null || From is not null || To is not null;

    public string PageUrl(int page)
    {
        var query = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Add("actor", Actor);
        Add("action", Action);
        Add("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (page > 1)
        {
            query.Add(string.Create(CultureInfo.InvariantCulture, $"page={page}"));
        }

        return "/Audit" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
    }

    // `page` is also the route value that holds this page's path, read before the query string: read it from the query.
    public async Task OnGetAsync([FromQuery] int? page, CancellationToken ct)
    {
        PageNumber = Math.Max(1, page ?? 1);
        var query = db.AuditEntries.AsNoTracking();
        if (QueryText.Clean(Actor) is { } actor)
        {
            query = query.Where(e => e.Actor.Contains(actor));
        }

        if (QueryText.Clean(Action) is { } action)
        {
            query = query.Where(e => e.Action == action);
        }

        // Range on the At index (newest first); a day is [00:00, next 00:00) UTC.
        if (From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(e => e.At >= start);
        }

        if (To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(e => e.At < end);
        }

        // One extra row tells whether an older page exists, without counting the whole log.
        var entries = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize + 1).ToListAsync(ct);
        HasMore = entries.Count > PageSize;
        Entries = entries.Take(PageSize).ToList();
    }
}
