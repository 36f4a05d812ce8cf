namespace B2BPortal.Web.Pages.Requests;

/// <summary>
/// The approvers' queue (issue 13): pending access requests oldest first; Approve sends the partners' invitations as the
/// approver (a batch on the upload pipeline, the requester as sponsor), Reject needs a comment for the requester.
/// </summary>
[Authorize(Policy = AuthenticationSetup.ApproverPolicy)]
public sealed class QueueModel(AccessRequests requests, AssignableTargets targets) : PageModel
{
    public IReadOnlyList<AccessRequest> Pending { get; private set; } = [];

    public IReadOnlyList<AccessRequest> Decided { get; private set; } = [];

    public AssignableList Names { get; private set; } = AssignableList.Empty;

    [TempData]
    public string? Message { get; set; }

    public string? Problem { get; private set; }

    public IReadOnlyList<RowError> Errors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <param name="partners">The ticked partners (positions); a request of one partner has no boxes and approves it.</param>
    public async Task<IActionResult> OnPostApproveAsync(Guid id, string? comment, [FromForm] List<int>? partners, bool choosing, CancellationToken ct)
    {
        var decision = await requests.ApproveAsync(id, comment, User.ActorName(), BatchSender.From(User), ct, choosing ? partners ?? [] : null);
        if (decision.Problem is null && decision.Request is { } approved)
        {
            var invited = approved.Partners.Count(p => p.Decision == AccessRequestStatus.Approved);
            var rejected = approved.Partners.Count - invited;
            Message = $"Approved the request of {approved.RequestedBy}: {Plural.Of(invited, "invitation")} on the way, sent as you" +
                (rejected == 0 ? "." : $"; {Plural.Of(rejected, "partner")} not invited (the requester sees your comment).");
            return RedirectToPage();
        }

        return await ShowProblemAsync(decision, ct);
    }

    public async Task<IActionResult> OnPostRejectAsync(Guid id, string? comment, CancellationToken ct)
    {
        var decision = await requests.RejectAsync(id, comment, User.ActorName(), ct);
        if (decision.Problem is null && decision.Request is { } rejected)
        {
            Message = $"Rejected the request of {rejected.RequestedBy}; they see your comment.";
            return RedirectToPage();
        }

        return await ShowProblemAsync(decision, ct);
    }

    /// <summary>Group and app names for a partner's IDs ("Groups: A · Apps: B"); null when none.</summary>
    public string? TargetsText(AccessRequestPartner partner)
    {
        ArgumentNullException.ThrowIfNull(partner);
        return Names.Describe(partner.GroupIds, partner.AppIds);
    }

    private async Task<IActionResult> ShowProblemAsync(AccessDecision decision, CancellationToken ct)
    {
        Problem = decision.Problem;
        Errors = decision.Errors;
        Response.StatusCode = decision.NotFound ? StatusCodes.Status404NotFound
            : decision.Conflict ? StatusCodes.Status409Conflict
            : StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Pending = await requests.ListAsync(AccessRequestStatus.Pending, 200, ct);
        Decided = [.. (await requests.ListAsync(null, 40, ct)).Where(r => r.Status != AccessRequestStatus.Pending).Take(20)];
        Names = new AssignableList(await targets.ListAsync(ct));
    }
}
