namespace B2BPortal.Web.Pages.Account;

/// <summary>The 403 page: says which directory role is needed, and why a token may lack roles altogether.</summary>
[AllowAnonymous]
public sealed class DeniedModel(IOptions<PortalAccessOptions> access) : PageModel
{
    public IReadOnlyList<string> RequiredRoles { get; private set; } = [];

    public bool TokenHasNoRoles { get; private set; }

    public string? SignedInAs { get; private set; }

    /// <summary>A member of the tenant without an admin role: may still request access for partners (issue 13).</summary>
    public bool MayRequest { get; private set; }

    public void OnGet()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        RequiredRoles = access.Value.EffectiveDirectoryRoles.Select(EntraRoles.NameOf).ToList();
        SignedInAs = User.Identity?.IsAuthenticated == true ? User.ActorName() : null;
        TokenHasNoRoles = User.Identity?.IsAuthenticated == true && !User.HasClaim(c => c.Type == "wids");
        MayRequest = User.Identity?.IsAuthenticated == true && AccessRequestHandler.IsMember(User);
    }
}
