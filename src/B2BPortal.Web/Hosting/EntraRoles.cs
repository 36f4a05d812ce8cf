namespace B2BPortal.Web.Hosting;

/// <summary>
/// Template IDs of the Entra built-in roles the portal names (docs/graph.md, "Directory role template ids"): the same in every tenant,
/// and what the <c>wids</c> claim of a signed-in person carries.
/// </summary>
public static class EntraRoles
{
    public const string GlobalAdministrator = "62e90394-69f5-4237-9190-012177145e10";
    public const string GuestInviter = "95e79109-95c0-4d8e-aee3-d01accf2d47b";
    public const string UserAdministrator = "fe930be7-5e62-47db-91af-98c3a49a38b1";

    /// <summary>The name admins know a role by (the 403 page lists the roles that may use the portal); the ID for another role.</summary>
    public static string NameOf(string templateId) => templateId switch
    {
        GlobalAdministrator => "Global Administrator",
        GuestInviter => "Guest Inviter",
        UserAdministrator => "User Administrator",
        _ => $"directory role {templateId}",
    };
}
