namespace B2BPortal.Web.Pages.Settings;

/// <summary>
/// Settings → Domain policy (issue 13): which partner domains the portal invites. Global Administrators only; what is
/// saved here takes precedence over <c>Portal:Policy</c> configuration, is audited, and applies at upload, at request
/// time and again just before each invitation is sent.
/// </summary>
[Authorize(Policy = AuthenticationSetup.GlobalAdministratorPolicy)]
public sealed class PolicyModel(PolicySource source, PolicySettings settings) : PageModel
{
    public EffectivePolicy Current { get; private set; } = null!;

    [BindProperty]
    public ConsumerDomainRule ConsumerDomains { get; set; }

    [BindProperty]
    public string? ConsumerDomainList { get; set; }

    [BindProperty]
    public string? AllowedDomains { get; set; }

    [BindProperty]
    public string? BlockedDomains { get; set; }

    [BindProperty]
    public string? RedirectHosts { get; set; }

    public IReadOnlyList<string> Problems { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        source.Invalidate(); // the page shows what is in force now, not a copy from a few seconds ago
        Current = await source.ForUploadAsync(ct);
        ConsumerDomains = Current.Options.ConsumerDomains;
        ConsumerDomainList = string.Join('\n', Current.Options.EffectiveConsumerDomains);
        AllowedDomains = string.Join('\n', Current.Options.AllowedDomains);
        BlockedDomains = string.Join('\n', Current.Options.BlockedDomains);
        RedirectHosts = string.Join('\n', Current.Options.RedirectHosts);
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        Problems = await settings.SaveAsync(
            new PolicyChange(ConsumerDomains, ConsumerDomainList, AllowedDomains, BlockedDomains, RedirectHosts), User.ActorName(), ct);
        if (Problems.Count == 0)
        {
            Message = "Saved. The next upload, access request and send apply this policy; rows already uploaded are checked again just before they are sent.";
            return RedirectToPage();
        }

        source.Invalidate();
        Current = await source.ForUploadAsync(ct);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public async Task<IActionResult> OnPostResetAsync(CancellationToken ct)
    {
        Message = await settings.ResetAsync(User.ActorName(), ct)
            ? "The policy set here was removed: configuration (Portal:Policy) applies again."
            : "Nothing was set here: configuration (Portal:Policy) already applies.";
        return RedirectToPage();
    }
}
