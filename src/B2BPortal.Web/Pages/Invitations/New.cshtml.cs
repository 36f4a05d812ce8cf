namespace B2BPortal.Web.Pages.Invitations;

/// <summary>Invite one guest (the seed could only invite by CSV): the same fields and validation as a row; becomes a one-row batch (<see cref="InviteOne"/>).</summary>
public sealed class NewModel(InviteOne invite) : PageModel
{
    [BindProperty]
    public SingleInvitationInput Input { get; set; } = new();

    public IReadOnlyList<RowError> Errors { get; private set; } = [];

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var row = new InvitationRow(
            1, Input.Email, Input.DisplayName, Input.ContactUsUrl, Input.BrandingAppId, Input.AppIds, Input.GroupIds,
            Input.RedirectUrl, Input.Language, Input.SendEmail ? "true" : "false", Input.CustomMessage);
        Batch batch;
        IReadOnlyList<RowError> errors;
        try
        {
            (batch, errors) = await invite.HandleAsync(new InviteOne.Command(row, User.ActorName(), BatchSender.From(User)), ct);
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

    public sealed class SingleInvitationInput
    {
        public string? Email { get; set; }

        public string? DisplayName { get; set; }

        public string? RedirectUrl { get; set; }

        public string? ContactUsUrl { get; set; }

        public string? Language { get; set; }

        public string? GroupIds { get; set; }

        public string? AppIds { get; set; }

        public string? BrandingAppId { get; set; }

        public string? CustomMessage { get; set; }

        public bool SendEmail { get; set; } = true;
    }
}
