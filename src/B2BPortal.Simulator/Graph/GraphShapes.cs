using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tenant;

namespace B2BPortal.Simulator.Graph;

/// <summary>The JSON shapes of the Graph entity types the simulator serves.</summary>
internal static class GraphShapes
{
    public static readonly EntityShape<DirectoryUser> User = new(
        "user",
        ["businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"],
        new()
        {
            ["id"] = u => u.Id,
            ["businessPhones"] = _ => Array.Empty<string>(),
            ["displayName"] = u => u.DisplayName,
            ["givenName"] = _ => null,
            ["surname"] = _ => null,
            ["jobTitle"] = _ => null,
            ["mobilePhone"] = _ => null,
            ["officeLocation"] = _ => null,
            ["preferredLanguage"] = _ => null,
            ["mail"] = u => u.Mail,
            ["userPrincipalName"] = u => u.UserPrincipalName,
            ["otherMails"] = u => u.OtherMails,
            ["userType"] = u => u.UserType,
            ["accountEnabled"] = u => u.AccountEnabled,
            ["createdDateTime"] = u => u.CreatedDateTime,
            ["creationType"] = u => u.CreationType,
            ["externalUserState"] = u => u.ExternalUserState,
            ["externalUserStateChangeDateTime"] = u => u.ExternalUserStateChangeDateTime,
        });

    public static readonly EntityShape<SimulatedGroup> Group = new(
        "group",
        ["id", "displayName", "description", "groupTypes", "mailEnabled", "securityEnabled"],
        new()
        {
            ["id"] = g => g.Id,
            ["displayName"] = g => g.DisplayName,
            ["description"] = _ => null,
            ["groupTypes"] = _ => Array.Empty<string>(),
            ["mailEnabled"] = _ => false,
            ["securityEnabled"] = _ => true,
        });

    public static readonly EntityShape<SimulatedApplication> ServicePrincipal = new(
        "servicePrincipal",
        ["id", "appId", "displayName", "accountEnabled", "servicePrincipalType", "appRoleAssignmentRequired", "appRoles"],
        new()
        {
            ["id"] = a => a.ServicePrincipalId,
            ["appId"] = a => a.AppId,
            ["displayName"] = a => a.DisplayName,
            ["accountEnabled"] = _ => true,
            ["servicePrincipalType"] = _ => "Application",
            ["appRoleAssignmentRequired"] = _ => false,
            ["appRoles"] = a => new JsonArray([.. a.AppRoles.Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Id,
                ["value"] = r.Value,
                ["displayName"] = r.DisplayName,
                ["description"] = r.DisplayName,
                ["isEnabled"] = true,
                ["origin"] = "Application",
                ["allowedMemberTypes"] = new JsonArray("User"),
            })]),
        });

    public static readonly EntityShape<AppRoleAssignment> AppRoleAssignment = new(
        "appRoleAssignment",
        ["id", "appRoleId", "createdDateTime", "deletedDateTime", "principalDisplayName", "principalId", "principalType", "resourceDisplayName", "resourceId"],
        new()
        {
            ["id"] = a => a.Id,
            ["appRoleId"] = a => a.AppRoleId,
            ["createdDateTime"] = a => a.CreatedDateTime,
            ["deletedDateTime"] = _ => null,
            ["principalDisplayName"] = a => a.PrincipalDisplayName,
            ["principalId"] = a => a.PrincipalId,
            ["principalType"] = _ => "User",
            ["resourceDisplayName"] = a => a.ResourceDisplayName,
            ["resourceId"] = a => a.ResourceId,
        });
}
