using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tenant;

namespace B2BPortal.Simulator.Graph;

/// <summary>The JSON shapes of the Graph entity types the simulator serves.</summary>
internal static class GraphShapes
{
    public static readonly EntityShape<DirectoryUser> User = new(
        "user",
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
            ["proxyAddresses"] = u => u.ProxyAddresses,
            ["userType"] = u => u.UserType,
            ["accountEnabled"] = u => u.AccountEnabled,
            ["createdDateTime"] = u => u.CreatedDateTime,
            ["creationType"] = u => u.CreationType,
            ["externalUserState"] = u => u.ExternalUserState,
            ["externalUserStateChangeDateTime"] = u => u.ExternalUserStateChangeDateTime,
            ["deletedDateTime"] = u => u.DeletedDateTime,

            // Only on $select, and only with AuditLog.Read.All in a tenant with Entra ID P1 (GraphApi checks both).
            ["signInActivity"] = SignInActivity,
        },

        // Graph's default for users is a fixed handful, not every property.
        defaultSelect:
        ["businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"]);

    /// <summary>Graph's signInActivity: the simulator records one time and reports it as the interactive and the successful sign-in.</summary>
    private static JsonObject SignInActivity(DirectoryUser user) => new()
    {
        ["lastSignInDateTime"] = EntityShape<DirectoryUser>.ToNode(user.LastSignInDateTime),
        ["lastSignInRequestId"] = null,
        ["lastNonInteractiveSignInDateTime"] = null,
        ["lastNonInteractiveSignInRequestId"] = null,
        ["lastSuccessfulSignInDateTime"] = EntityShape<DirectoryUser>.ToNode(user.LastSignInDateTime),
        ["lastSuccessfulSignInRequestId"] = null,
    };

    public static readonly EntityShape<SimulatedGroup> Group = new("group", new()
    {
        ["id"] = g => g.Id,
        ["displayName"] = g => g.DisplayName,
        ["description"] = _ => null,
        ["groupTypes"] = _ => Array.Empty<string>(),
        ["mailEnabled"] = _ => false,
        ["securityEnabled"] = _ => true,
    });

    public static readonly EntityShape<SimulatedApplication> ServicePrincipal = new("servicePrincipal", new()
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
        ["info"] = Info,
    });

    /// <summary>The app registration; its branding is <c>info.logoUrl</c>, as on the service principal.</summary>
    public static readonly EntityShape<SimulatedApplication> Application = new("application", new()
    {
        ["id"] = a => a.ApplicationObjectId,
        ["appId"] = a => a.AppId,
        ["displayName"] = a => a.DisplayName,
        ["publisherDomain"] = _ => SimulatedTenantDefaults.PrimaryDomain,
        ["signInAudience"] = _ => "AzureADMyOrg",
        ["info"] = Info,
    });

    public static readonly EntityShape<AppRoleAssignment> AppRoleAssignment = new("appRoleAssignment", new()
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

    /// <summary>Graph's informationalUrl: the logo and the app's links; null values where the app has none.</summary>
    private static JsonObject Info(SimulatedApplication app) => new()
    {
        ["logoUrl"] = app.LogoUrl,
        ["marketingUrl"] = null,
        ["privacyStatementUrl"] = null,
        ["supportUrl"] = null,
        ["termsOfServiceUrl"] = null,
    };
}
