namespace B2BPortal.Web.Pages.Invitations;

/// <summary>Invite one guest (the seed could only invite by CSV): the same fields and validation as a row; becomes a one-row batch (<see cref="InviteOne"/>).</summary>
public sealed class NewModel(InviteOne invite) : PageModel
{
    /// <summary>The form is one CSV row: the same cells, under the same names, checked by the same rules.</summary>
    [BindProperty]
    public InvitationRow Input { get; set; } = new(1, null, null, null, null, null, null, null, null, SendEmail: "true", null);

    public IReadOnlyList<RowError> Errors { get; private set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Batch batch;
        IReadOnlyList<RowError> errors;
        try
        {
            (batch, errors) = await invite.HandleAsync(new InviteOne.Command(Input, User.ActorName(), BatchSender.From(User)), ct);
        }
        catch (SubmissionRefusedException refused)
        {
            Errors = [new RowError("Tenant", refused.Message)];
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        if (errors.Count > 0)
        {
            Errors = errors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        return RedirectToPage("/Batches/Details", new { id = batch.Id });
    }
}
