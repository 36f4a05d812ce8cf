using B2BPortal.Web.Guests;

namespace B2BPortal.Web.Pages.Guests;

/// <summary>How the portal sees a guest it invited.</summary>
public enum GuestState
{
    Invited,
    Accepted,
    Removed,
}

/// <summary>One guest: the latest invitation row of its GraphUserId, with what the tenant reports about its sign-ins.</summary>
public sealed record GuestRow(
    long InvitationId,
    Guid BatchId,
    string Email,
    string? DisplayName,
    GuestState State,
    DateTime? InvitedAt,
    DateTime? RemovedAt,
    string? RemovedReason,
    int DaysSinceInvitation,
    GuestActivity? Activity,
    string? Sponsor = null);

/// <summary>
/// Guests (issue 13): everyone the portal invited, newest first — state, sponsor, last sign-in where the tenant reports it,
/// days since the invitation — paged on the key (IX_Invitations_Guests), so a page costs the same at 1,000,000 invitations.
/// Removed guests can be restored by a Global Administrator (the form posts to the clean-up page).
/// </summary>
[Authorize(Policy = AuthenticationSetup.InvitationAdminPolicy)]
public sealed class IndexModel(PortalDbContext db, GraphGateway graph, TenantPacer pacer, TimeProvider time) : PageModel
{
    public const int PageSize = 50;

    /// <summary>Keyset: guests whose latest row is older than this invitation row id.</summary>
    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<GuestRow> Guests { get; private set; } = [];

    public long? NextBefore { get; private set; }

    /// <summary>Why last sign-ins are missing (said once for the page), or null when the tenant reports them.</summary>
    public string? SignInNotReported { get; private set; }

    /// <summary>Graph could not be read at all: the page still lists the guests.</summary>
    public string? GraphProblem { get; private set; }

    /// <summary>Whether the tenant was read for this page: a guest missing from the answer is then really not in the tenant.</summary>
    public bool TenantRead { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public bool CanRestore => PortalAccessOptions.IsGlobalAdministrator(User);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var rows = await GuestCleanup.LatestPerGuest(db, Before)
            .OrderByDescending(i => i.Id)
            .Take(PageSize + 1)
            .Select(i => new { i.Id, i.BatchId, i.Email, i.DisplayName, i.Status, i.GraphUserId, i.InvitedAt, i.CreatedAt, i.RemovedAt, i.RemovedReason, i.SponsorId })
            .ToListAsync(ct);
        NextBefore = rows.Count > PageSize ? rows[PageSize - 1].Id : null;
        var page = rows.Take(PageSize).ToList();

        var present = page.Where(r => r.RemovedAt is null).Select(r => r.GraphUserId!).ToList();
        IReadOnlyDictionary<string, GuestActivity> activity = new Dictionary<string, GuestActivity>();
        if (present.Count > 0 && (await pacer.CheckAsync(ct)).Mode == PacingMode.Throttled)
        {
            // Graph asked every instance to wait: the page does not add to it.
            GraphProblem = "Graph asked the portal to wait, so last sign-ins are not read just now; reload in a minute.";
        }
        else if (present.Count > 0)
        {
            var read = await graph.GetGuestActivityAsync(present, ct);
            activity = read.Users;
            SignInNotReported = read.SignInNotReported;
            TenantRead = read.Failure is null;
            GraphProblem = TenantRead ? null : "The tenant could not be read just now, so last sign-ins are missing; reload to try again.";
            if (read.Failure is Throttled throttled)
            {
                await pacer.RecordRetryAfterAsync(throttled.RetryAfter, ct);
            }
        }

        // Sponsors are the employees whose requests were approved: named as their requests name them.
        var sponsorIds = page.Where(r => r.SponsorId is not null).Select(r => r.SponsorId!).Distinct().ToList();
        var sponsors = sponsorIds.Count == 0 ? [] : (await db.AccessRequests.AsNoTracking()
            .Where(a => a.RequesterObjectId != null && sponsorIds.Contains(a.RequesterObjectId))
            .Select(a => new { a.RequesterObjectId, a.RequestedBy, a.RequestedAt })
            .ToListAsync(ct))
            .GroupBy(a => a.RequesterObjectId!)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(a => a.RequestedAt).First().RequestedBy);

        var now = time.GetUtcNow().UtcDateTime;
        Guests = [.. page.Select(r => new GuestRow(
            r.Id,
            r.BatchId,
            r.Email,
            r.DisplayName,
            r.RemovedAt is not null ? GuestState.Removed : r.Status == InvitationStatus.Accepted ? GuestState.Accepted : GuestState.Invited,
            r.InvitedAt,
            r.RemovedAt,
            r.RemovedReason,
            (int)(now - (r.InvitedAt ?? r.CreatedAt)).TotalDays,
            activity.GetValueOrDefault(r.GraphUserId!),
            r.SponsorId is null ? null : sponsors.GetValueOrDefault(r.SponsorId) ?? r.SponsorId))];
    }
}
