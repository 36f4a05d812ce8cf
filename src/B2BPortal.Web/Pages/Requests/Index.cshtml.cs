namespace B2BPortal.Web.Pages.Requests;

/// <summary>My access requests: the signed-in person's own requests, their decision and each partner's invitation — nothing else.</summary>
[Authorize(Policy = AuthenticationSetup.RequesterPolicy)]
public sealed class IndexModel(AccessRequests requests, B2BPortal.Web.Guests.GuestCleanup cleanup, Microsoft.Extensions.Options.IOptionsMonitor<PortalAccessOptions> access) : PageModel
{
    public IReadOnlyList<AccessRequest> Requests { get; private set; } = [];

    /// <summary>Guests this person sponsors whom clean-up asks about (inactive): keep them, or let them be removed.</summary>
    public IReadOnlyList<Invitation> AskedAbout { get; private set; } = [];

    /// <summary>Each approved request's invitations by row number (= partner position).</summary>
    public Dictionary<Guid, IReadOnlyDictionary<int, Invitation>> Outcomes { get; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Requests = await requests.MineAsync(Requester.Of(User), ct);
        if (Requester.Of(User).ObjectId is { } me)
        {
            AskedAbout = await cleanup.AwaitingSponsorAsync(me, ct);
        }

        foreach (var request in Requests.Where(r => r.BatchId is not null))
        {
            Outcomes[request.Id] = await requests.OutcomesAsync(request, ct);
        }
    }

    /// <summary>The sponsor keeps an inactive guest (an admin may answer for them): inactivity counts from today.</summary>
    public async Task<IActionResult> OnPostKeepAsync(long id, CancellationToken ct)
    {
        var kept = await cleanup.KeepAsync(id, Requester.Of(User).ObjectId, access.CurrentValue.IsInvitationAdmin(User), User.ActorName(), ct);
        Message = kept
            ? "Kept: the guest keeps their access, and clean-up counts their inactivity from today."
            : "Nothing to keep: that guest is not waiting for your answer (kept or removed already).";
        return RedirectToPage();
    }

    /// <summary>A partner's state in words the requester understands.</summary>
    public static string PartnerState(AccessRequest request, AccessRequestPartner partner, Invitation? invitation) => request.Status switch
    {
        AccessRequestStatus.Pending => "Waiting for an approver",
        AccessRequestStatus.Rejected => "Rejected",
        _ when partner?.Decision == AccessRequestStatus.Rejected => "Not approved",
        _ => invitation?.Status switch
        {
            InvitationStatus.Queued or InvitationStatus.Sending or InvitationStatus.Held => "Approved — invitation being sent",
            InvitationStatus.Invited => "Invited — waiting for the partner to accept",
            InvitationStatus.Accepted => "Accepted — the partner has access",
            InvitationStatus.Failed => "Approved, but the invitation failed — an administrator is told",
            InvitationStatus.Cancelled => "Approved, but the invitation was cancelled",
            _ => "Approved",
        },
    };
}
