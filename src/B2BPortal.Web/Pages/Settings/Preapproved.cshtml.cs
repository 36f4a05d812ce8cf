namespace B2BPortal.Web.Pages.Settings;

/// <summary>
/// Settings → Pre-approved domains (issue 13): access requests for partners at these domains are sent without an approver,
/// with the entry's redirect URL, groups, applications and message. Global Administrators only; every change audited.
/// </summary>
[Authorize(Policy = AuthenticationSetup.GlobalAdministratorPolicy)]
public sealed class PreapprovedModel(PreapprovedDomains domains, AssignableTargets targets) : PageModel
{
    public IReadOnlyList<PreapprovedDomain> Entries { get; private set; } = [];

    /// <summary>The groups and applications an entry may grant (the form's boxes), and their names for the table.</summary>
    public AssignableList Assignable { get; private set; } = AssignableList.Empty;

    [BindProperty]
    public PreapprovedDomainInput Input { get; set; } = new(null, null, [], [], null);

    public IReadOnlyList<string> Problems { get; private set; } = [];

    [TempData]
    public string? Outcome { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        var (added, problems) = await domains.AddAsync(Input, User.ActorName(), ct);
        if (added is not null)
        {
            Outcome = $"Requests for partners at {added.Domain} are now sent without waiting for an approver.";
            return RedirectToPage();
        }

        Problems = problems;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(long id, CancellationToken ct)
    {
        Outcome = await domains.RemoveAsync(id, User.ActorName(), ct);
        return RedirectToPage();
    }

    /// <summary>"Groups: A · Apps: B" for an entry, by name; "none" when it grants nothing.</summary>
    public string Grants(PreapprovedDomain entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Assignable.Describe(entry.GroupIds, entry.AppIds) ?? "none";
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Entries = await domains.ListAsync(ct);
        Assignable = new AssignableList(await targets.ListAsync(ct));
    }
}
