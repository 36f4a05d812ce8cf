namespace B2BPortal.Web.Pages.Settings;

/// <summary>
/// Settings → Assignable groups and applications (issue 11): the groups and apps uploads may add guests to, kept by Global
/// Administrators only. Added by ID or name after a look-up in the tenant; every change goes to the audit log.
/// </summary>
[Authorize(Policy = AuthenticationSetup.GlobalAdministratorPolicy)]
public sealed class AssignableModel(AssignableTargets targets) : PageModel
{
    public IReadOnlyList<AssignableTarget> Entries { get; private set; } = [];

    [BindProperty]
    public AssignableKind Kind { get; set; } = AssignableKind.Group;

    /// <summary>A group object ID, an application (client) ID, or the start of a display name.</summary>
    [BindProperty]
    public string? Target { get; set; }

    /// <summary>Why the last add did nothing, shown above the form.</summary>
    public string? Problem { get; private set; }

    /// <summary>Several groups or apps matched the name: the admin picks one.</summary>
    public IReadOnlyList<DirectoryTarget> Choices { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Entries = await targets.ListAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        var result = await targets.AddAsync(Kind, Target, User.ActorName(), ct);
        if (result.Added is { } added)
        {
            Message = $"Added {AssignableTargets.What(added.Kind)} '{added.DisplayName}' ({added.TargetId}): uploads may now add guests to it.";
            return RedirectToPage();
        }

        Problem = result.Problem;
        Choices = result.Choices;
        Response.StatusCode = result.Problem is null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        Entries = await targets.ListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(long id, CancellationToken ct)
    {
        Message = await targets.RemoveAsync(id, User.ActorName(), ct);
        return RedirectToPage();
    }
}
