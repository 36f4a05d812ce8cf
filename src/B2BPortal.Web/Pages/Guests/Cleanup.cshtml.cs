using B2BPortal.Web.Guests;

namespace B2BPortal.Web.Pages.Guests;

/// <summary>
/// Guest clean-up (issue 13): the dry-run report — exactly what a run would do now and why — and the Run button; also
/// the Restore of a removed guest. Global Administrators only: a run deletes users in Entra.
/// </summary>
[Authorize(Policy = AuthenticationSetup.GlobalAdministratorPolicy)]
public sealed class CleanupModel(GuestCleanup cleanup) : PageModel
{
    public GuestCleanupOptions Rules => cleanup.Rules;

    public CleanupPlan Plan { get; private set; } = new([], [], null, null);

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Plan = await cleanup.PlanAsync(ct);

    public async Task<IActionResult> OnPostRunAsync(CancellationToken ct)
    {
        var result = await cleanup.RunAsync(User.ActorName(), ct);
        if (result.StoppedBecause == GuestCleanup.AlreadyRunning)
        {
            Message = GuestCleanup.AlreadyRunning;
            return RedirectToPage();
        }

        Message = $"Clean-up ran: {Plural.Of(result.Removed, "guest")} removed, {result.Reinvited} re-invited"
            + (result.SponsorsAsked > 0 ? $", {Plural.Of(result.SponsorsAsked, "sponsor")} asked" : string.Empty)
            + (result.Failures.Count == 0 ? "." : $", {result.Failures.Count} not removed: {string.Join("; ", result.Failures)}.")
            + (result.StoppedBecause is null ? string.Empty : $" Stopped early: {result.StoppedBecause}");
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRestoreAsync(long id, CancellationToken ct)
    {
        var (_, message) = await cleanup.RestoreAsync(id, User.ActorName(), ct);
        TempData[nameof(IndexModel.Message)] = message;
        return RedirectToPage("/Guests/Index");
    }
}
