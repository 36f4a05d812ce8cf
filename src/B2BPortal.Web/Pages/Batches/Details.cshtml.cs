using B2BPortal.Web.Delivery.Email;


namespace B2BPortal.Web.Pages.Batches;

/// <summary>
/// One batch: the review step while it waits (counts, every invalid row, Send or Discard), then its progress, live
/// while sending (the Progress handler answers counts and the visible rows' state), its rows and the actions.
/// </summary>
public sealed class DetailsModel(
    PortalDbContext db,
    BatchDetails details,
    SendBatch send,
    DiscardBatch discard,
    CancelBatch cancel,
    ResendBatch resend,
    SendingControl actions,
    InvitationEmailComposer composer,
    InvitationEmailRenderer renderer) : PageModel
{
    public const int PageSize = 50;

    /// <summary>Destructive actions that first show a confirmation step (works without JavaScript).</summary>
    public static readonly string[] Confirmable = ["Discard", "Cancel", "ResendPending"];

    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    /// <summary>The rows shown: those of this status (the <c>status</c> of the query string), or all.</summary>
    public InvitationStatus? Status { get; private set; }

    /// <summary>The words the rows shown match (<c>search</c>).</summary>
    public string? Search { get; private set; }

    /// <summary>The page of rows shown (<c>page</c>), from 1.</summary>
    public int PageNumber { get; private set; } = 1;

    /// <summary>Which destructive action is being confirmed (?confirm=Cancel), if any.</summary>
    public string? Confirm { get; private set; }

    /// <summary>The batch with its counts and progress (<see cref="BatchDetails"/>).</summary>
    public BatchDetails.Result Details { get; private set; } = null!;

    public Batch Batch => Details.Batch;

    public StatusCounts Counts => Details.Counts;

    public IReadOnlyList<Invitation> Rows { get; private set; } = [];

    public ILookup<long, InvitationAssignment> Assignments { get; private set; } = Array.Empty<InvitationAssignment>().ToLookup(a => a.InvitationId);

    public int FilteredTotal { get; private set; }

    /// <summary>The assignable list, for the names of the groups and apps rows name (the file has only IDs).</summary>
    public AssignableList Targets { get; private set; } = AssignableList.Empty;

    /// <summary>"Partners - Fabrikam (group)" or, for an ID not on the list, the ID and that it is not assignable.</summary>
    public string TargetName(AssignableKind kind, string id) =>
        Targets.NameOf(kind, id) is { } name ? $"{name} ({AssignableTargets.What(kind)})" : $"{id} ({AssignableTargets.What(kind)} not on the assignable list)";

    /// <summary>The groups and apps a row adds its guest to, by name: "Groups: A, B · Apps: C"; null when none.</summary>
    public string? TargetsText(Invitation row)
    {
        ArgumentNullException.ThrowIfNull(row);
        string? Part(string label, AssignableKind kind, List<string>? ids) => ids is not { Count: > 0 } ? null
            : $"{label}: " + string.Join(", ", ids.Select(id => Targets.NameOf(kind, id) ?? $"{id} (not on the assignable list)"));
        var parts = new[] { Part("Groups", AssignableKind.Group, row.GroupIds), Part("Apps", AssignableKind.Application, row.AppIds) }
            .Where(p => p is not null).ToList();
        return parts.Count == 0 ? null : string.Join(" · ", parts);
    }

    public PacingState? Pacing { get; private set; }

    /// <summary>Under review: what Microsoft's email, sent app-only, will not carry to the guests (docs/graph.md "What reaches the guest").</summary>
    public LostInEmail? Lost { get; private set; }

    /// <summary>Rows whose message and contact link, language, or InviteAppID branding Microsoft's email will drop.</summary>
    public sealed record LostInEmail(int Messages, int Languages, int Branding)
    {
        public bool Any => Messages + Languages + Branding > 0;
    }

    public int Pages { get; private set; } = 1;

    [TempData]
    public string? Message { get; set; }

    public string PageUrl(int page, InvitationStatus? status = null, bool keepStatus = true)
    {
        var s = keepStatus ? Status : status;
        var query = new List<string>();
        if (s is not null)
        {
            query.Add($"status={s}");
        }

        if (!string.IsNullOrWhiteSpace(Search))
        {
            query.Add($"search={Uri.EscapeDataString(Search)}");
        }

        if (page > 1)
        {
            query.Add(string.Create(CultureInfo.InvariantCulture, $"page={page}"));
        }

        return $"/Batches/Details/{Id}" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
    }

    /// <param name="status">Only the rows in this status; under review the invalid ones unless a status or search is given.</param>
    /// <param name="search">Words each of which begins a word of the address or name.</param>
    /// <param name="page">The page of rows, from 1; from the query string only, as Razor Pages' own route value is also named <c>page</c>.</param>
    /// <param name="confirm">The destructive action to confirm first (<see cref="Confirmable"/>); anything else is ignored.</param>
    public async Task<IActionResult> OnGetAsync(InvitationStatus? status, string? search, [FromQuery] int? page, string? confirm, CancellationToken ct)
    {
        if (await details.HandleAsync(new BatchDetails.Query(Id), ct) is not { } found)
        {
            return NotFound();
        }

        Details = found;
        Pacing = await actions.GetPacingStateAsync(ct);
        Search = search;
        Confirm = confirm is not null && Confirmable.Contains(confirm, StringComparer.Ordinal) ? confirm : null;
        if (Batch.Status == BatchStatus.Review && Batch.Email == InvitationEmail.Microsoft)
        {
            Lost = await LostInEmailAsync(ct);
        }

        // Under review, the admin's first question is what is wrong: show invalid rows unless asked otherwise.
        Status = status ?? (Batch.Status == BatchStatus.Review && Counts.Invalid > 0 && search is null ? InvitationStatus.Invalid : null);
        var rows = await details.RowsAsync(found, new BatchDetails.RowsQuery(Status, Search, page ?? 1, PageSize, WithAssignments: true), ct);
        (Rows, FilteredTotal, PageNumber, Pages) = (rows.Items, rows.Total, rows.Page, rows.Pages);
        Assignments = Rows.SelectMany(r => r.Assignments).ToLookup(a => a.InvitationId);
        // Names are shown only for the groups and apps rows on this page name: most pages have none to read.
        if (Rows.Any(r => r.GroupIds is { Count: > 0 } || r.AppIds is { Count: > 0 } || r.Assignments.Count > 0))
        {
            Targets = await AssignableList.LoadAsync(db, ct);
        }

        return Page();
    }

    /// <summary>Polled by the page while live: counts, progress and the current state of the rows it shows (by id).</summary>
    public async Task<IActionResult> OnGetProgressAsync(string? ids, CancellationToken ct)
    {
        if (await details.HandleAsync(new BatchDetails.Query(Id), ct) is not { } found)
        {
            return NotFound();
        }

        var (batch, counts) = found;
        var pacing = await actions.GetPacingStateAsync(ct);
        var wanted = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.TryParse(s, CultureInfo.InvariantCulture, out var id) ? id : 0)
            .Where(id => id > 0).Distinct().Take(PageSize * 4).ToList();
        var rows = wanted.Count == 0
            ? []
            : await db.Invitations.AsNoTracking().Where(i => i.BatchId == Id && wanted.Contains(i.Id)).ToListAsync(ct);
        return new JsonResult(new
        {
            batchStatus = batch.Status.ToString(),
            counts = Enum.GetValues<InvitationStatus>().ToDictionary(s => s.ToString(), s => counts.Of(s)),
            total = counts.Total,
            toSend = counts.ToSend,
            processed = counts.Processed,
            // Rows still to be sent or being sent: the script polls faster and shows a throttle or pause only then.
            sending = counts.InFlight > 0,
            text = found.Progress,
            live = found.Live,
            pacing = new { mode = pacing.Mode.ToString(), description = pacing.Description },
            rows = rows.Select(r => new
            {
                id = r.Id,
                status = r.Status.ToString(),
                attempts = r.Attempts,
                userId = r.GraphUserId,
                redeemUrl = r.RedeemUrl,
                lastError = r.LastError,
                advice = r.Status == InvitationStatus.Failed ? FailureAdvice.For(r.LastError) : null,
                invitedAt = Utc(r.InvitedAt),
                acceptedAt = Utc(r.AcceptedAt),
                updatedAt = Utc(r.UpdatedAt),
            }),
        });
    }

    /// <summary>The portal's email one row of this batch gets (its language, message, contact link and app), before it is sent.</summary>
    public async Task<IActionResult> OnGetEmailPreviewAsync(int row, CancellationToken ct)
    {
        var batch = await db.Batches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == Id, ct);
        var invitation = await db.Invitations.AsNoTracking().FirstOrDefaultAsync(i => i.BatchId == Id && i.RowNumber == row && i.Status != InvitationStatus.Invalid, ct);
        if (batch is null || invitation is null)
        {
            return NotFound();
        }

        return Content(await renderer.RenderHtmlAsync(await composer.ComposeAsync(invitation, batch, ct)), "text/html; charset=utf-8");
    }

    /// <param name="sendAs"><c>app</c> sends as the portal's application (an explicit choice); anything else as the signed-in admin.</param>
    public async Task<IActionResult> OnPostSendAsync(string? sendAs, CancellationToken ct)
    {
        try
        {
            var asApplication = SendBatch.AsApplication(sendAs);
            var queued = await send.HandleAsync(new SendBatch.Command(Id, User.ActorName(), asApplication ? null : BatchSender.From(User)), ct);
            Message = SendBatch.Message(queued, asApplication);
        }
        catch (SubmissionRefusedException refused)
        {
            Message = refused.Message;
        }

        return RedirectToPage(new { Id });
    }

    public async Task<IActionResult> OnPostDiscardAsync(CancellationToken ct)
    {
        Message = DiscardBatch.Message(await discard.HandleAsync(new DiscardBatch.Command(Id, User.ActorName()), ct));
        return RedirectToPage(new { Id });
    }

    public async Task<IActionResult> OnPostCancelAsync(CancellationToken ct)
    {
        if (await cancel.HandleAsync(new CancelBatch.Command(Id, User.ActorName()), ct) is not { } cancelled)
        {
            return NotFound();
        }

        Message = CancelBatch.Message(cancelled);
        return RedirectToPage(new { Id });
    }

    public Task<IActionResult> OnPostResendFailedAsync(CancellationToken ct) =>
        ResendAsync(new ResendBatch.Command(Id, [InvitationStatus.Failed], ResetRedemption: false, User.ActorName()), ct);

    public Task<IActionResult> OnPostResendPendingAsync(bool resetRedemption, CancellationToken ct) =>
        ResendAsync(new ResendBatch.Command(Id, [InvitationStatus.Invited], resetRedemption, User.ActorName()), ct);

    private async Task<IActionResult> ResendAsync(ResendBatch.Command command, CancellationToken ct)
    {
        try
        {
            if (await resend.HandleAsync(command, ct) is not { } requeued)
            {
                return NotFound();
            }

            Message = ResendBatch.Message(command, requeued);
        }
        catch (SubmissionRefusedException refused)
        {
            Message = refused.Message;
        }

        return RedirectToPage(new { Id });
    }

    private async Task<LostInEmail> LostInEmailAsync(CancellationToken ct)
    {
        var emailed = db.Invitations.Where(i => i.BatchId == Id && i.Status == InvitationStatus.Held && i.SendEmail);
        var withMessage = emailed.Where(i => i.CustomMessage != null || i.ContactUsUrl != null);
        return new LostInEmail(
            await withMessage.CountAsync(ct),
            await withMessage.CountAsync(i => i.Language != null && i.Language != "en", ct),
            await emailed.CountAsync(i => i.BrandingAppId != null, ct));
    }

    public static string? Utc(DateTime? at) => at is { } t ? t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC" : null;
}
