namespace B2BPortal.Simulator.Tenant;

/// <summary>
/// The tenant's guest invite setting (<c>authorizationPolicy.allowInvitesFrom</c>) and how Entra enforces it on
/// <c>POST /invitations</c>. Where the documentation leaves room, the stricter reading wins, so the portal never passes
/// here and fails on a real tenant.
/// </summary>
internal static class GuestInvitePolicy
{
    public const string Everyone = "everyone";

    /// <summary>
    /// Graph's settings in its spelling, from the most open to the most closed, each with who may invite under it. Create
    /// invitation (Graph v1.0): "Application permissions (app-only) do not work if B2B invitations are disabled on the tenant or
    /// if B2B invitations are restricted to administrators." Nothing documents app-only working when only members may invite
    /// either, so app-only is refused for every setting but everyone.
    /// </summary>
    private static readonly OrderedDictionary<string, Func<GraphPrincipal, bool>> MayInvite = new()
    {
        [Everyone] = _ => true,
        ["adminsGuestInvitersAndAllMembers"] = caller => !caller.IsAppOnly,
        ["adminsAndGuestInviters"] = caller =>
            !caller.IsAppOnly && caller.Person!.Roles.Any(r => InvitingRoles.Contains(r.TemplateId, StringComparer.OrdinalIgnoreCase)),
        ["none"] = _ => false,
    };

    public static readonly IReadOnlyList<string> Values = [.. MayInvite.Keys];

    /// <summary>Directory roles that may invite under <c>adminsAndGuestInviters</c>.</summary>
    private static readonly string[] InvitingRoles =
    [
        SimulatedTenantDefaults.GlobalAdministratorRoleId,
        SimulatedTenantDefaults.UserAdministratorRoleId,
        SimulatedTenantDefaults.GuestInviterRoleId,
    ];

    /// <summary>The canonical spelling of a setting (Graph's enum names are case-insensitive on input), or null when unknown.</summary>
    public static string? Parse(string? value) =>
        Values.FirstOrDefault(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase));

    /// <summary>Why Entra refuses this caller's invitation under the setting, or null when it may invite.</summary>
    public static TenantError? Refusal(string setting, GraphPrincipal caller) =>
        MayInvite.TryGetValue(setting, out var mayInvite) && mayInvite(caller) ? null : Refused;

    /// <summary>The refusal reported for tenants that restrict invitations (Authorization_RequestDenied, as for missing permissions).</summary>
    public static readonly TenantError Refused = new(
        403,
        "Authorization_RequestDenied",
        "Guest invitations not allowed for your company. Contact your company administrator for more details.");
}
