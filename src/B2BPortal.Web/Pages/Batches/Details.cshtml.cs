using B2BPortal.Web.Data;
using B2BPortal.Web.Delivery;
using B2BPortal.Web.Hosting;
using B2BPortal.Web.Invitations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace B2BPortal.Web.Pages.Batches;

/// <summary>One batch: the review step while it waits (counts, every invalid row, Send or Discard), then its progress and rows.</summary>
public sealed class DetailsModel(PortalDbContext db, BatchReview review, BatchActions actions) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public InvitationStatus? Status { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Batch Batch { get; private set; } = null!;

    public StatusCounts Counts { get; private set; } = StatusCounts.From(new Dictionary<InvitationStatus, int>());

    public IReadOnlyList<Invitation> Rows { get; private set; } = [];

    public int FilteredTotal { get; private set; }

    public int Pages => Math.Max(1, (FilteredTotal + PageSize - 1) / PageSize);

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var batch = await db.Batches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == Id, ct);
        if (batch is null)
        {
            return NotFound();
        }

        Batch = batch;
        Counts = await db.CountsAsync(Id, ct);
        PageNumber = Math.Max(1, PageNumber);

        // Under review, the admin's first question is what is wrong: show invalid rows unless asked otherwise.
        var status = Status ?? (batch.Status == BatchStatus.Review && Counts.Invalid > 0 && Search is null ? InvitationStatus.Invalid : null);
        Status = status;
        var query = db.InvitationsOf(Id, status, Search);
        FilteredTotal = await query.CountAsync(ct);
        Rows = await query.Skip((PageNumber - 1) * PageSize).Take(PageSize).ToListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostSendAsync(CancellationToken ct)
    {
        var queued = await review.SubmitAsync(Id, User.ActorName(), ct);
        Message = queued is null ? "This batch was already sent or discarded." : $"{queued} invitations queued for sending.";
        return RedirectToPage(new { Id });
    }

    public async Task<IActionResult> OnPostDiscardAsync(CancellationToken ct)
    {
        Message = await review.DiscardAsync(Id, User.ActorName(), ct) ? "Batch discarded; nothing was sent." : "Only a batch waiting for review can be discarded.";
        return RedirectToPage(new { Id });
    }

    public async Task<IActionResult> OnPostCancelAsync(CancellationToken ct)
    {
        var cancelled = await actions.CancelAsync(Id, User.ActorName(), ct);
        Message = $"{cancelled} queued invitations cancelled. Invitations already sent stay sent.";
        return RedirectToPage(new { Id });
    }

    public async Task<IActionResult> OnPostResendFailedAsync(CancellationToken ct)
    {
        var n = await actions.ResendAsync(Id, [InvitationStatus.Failed], resetRedemption: false, User.ActorName(), ct);
        Message = $"{n} failed invitations queued again.";
        return RedirectToPage(new { Id });
    }

    public async Task<IActionResult> OnPostResendPendingAsync(bool resetRedemption, CancellationToken ct)
    {
        var n = await actions.ResendAsync(Id, [InvitationStatus.Invited], resetRedemption, User.ActorName(), ct);
        Message = $"{n} guests who have not accepted yet will get a fresh invitation email.";
        return RedirectToPage(new { Id });
    }
}
