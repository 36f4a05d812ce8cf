namespace B2BPortal.Web.Hosting;

/// <summary>Who may use the portal (section <c>Portal:Access</c>).</summary>
public sealed class PortalAccessOptions
{
    public const string SectionName = "Portal:Access";

    /// <summary>Directory role template IDs (the <c>wids</c> claim) that may use the portal. Default: Global Administrator only, as in the seed.</summary>
    public List<string> DirectoryRoles { get; set; } = [];

    /// <summary>The app role (in <c>roles</c>) an automation client needs to call the API.</summary>
    public string ApiAppRole { get; set; } = "Invitations.Send";

    /// <summary>
    /// Whether the signed-in person holds the Global Administrator directory role (<c>wids</c>), whatever
    /// <see cref="DirectoryRoles"/> says: only they keep the assignable groups and applications (issue 11).
    /// </summary>
    public static bool IsGlobalAdministrator(System.Security.Claims.ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindAll("wids").Any(c => string.Equals(c.Value, EntraRoles.GlobalAdministrator, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// Group object IDs (the <c>groups</c> claim) whose members may approve or reject access requests besides the portal's
    /// admins (issue 13). Empty: the admins alone. Approving sends the invitations as the approver, so they need a role
    /// that may invite under the tenant's guest invite setting.
    /// </summary>
    public List<string> ApproverGroups { get; set; } = [];

    /// <summary>One of the configured directory roles (<c>wids</c>), or an API client with the app role.</summary>
    public bool IsInvitationAdmin(System.Security.Claims.ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var roles = EffectiveDirectoryRoles;
        return user.FindAll("wids").Any(c => roles.Contains(c.Value, StringComparer.OrdinalIgnoreCase))
            || user.FindAll("roles").Any(c => string.Equals(c.Value, ApiAppRole, StringComparison.Ordinal));
    }

    public bool IsApproverGroupMember(System.Security.Claims.ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return ApproverGroups.Count > 0 && user.FindAll("groups").Any(c => ApproverGroups.Contains(c.Value, StringComparer.OrdinalIgnoreCase));
    }

    public IReadOnlyList<string> EffectiveDirectoryRoles => DirectoryRoles.Count > 0 ? DirectoryRoles : [EntraRoles.GlobalAdministrator];
}
