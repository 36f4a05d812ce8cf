using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tenant;

namespace B2BPortal.Simulator.Graph;

/// <summary>
/// <c>GET /policies/authorizationPolicy</c> (the singleton with the tenant's guest invite setting) and <c>GET /organization</c>
/// (the tenant and its verified domains, whose addresses Entra refuses to invite as guests).
/// </summary>
internal static class GraphPolicies
{
    /// <summary>The built-in Guest User role, Entra's default for guests' directory access.</summary>
    private const string GuestUserRoleId = "10dae51f-b6af-4016-8d66-8c2a99b929b3";

    public static GraphResult AuthorizationPolicy(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant) =>
        new(200, new JsonObject
        {
            ["@odata.context"] = $"{caller.Urls.GraphBase}/$metadata#policies/authorizationPolicy/$entity",
            ["id"] = "authorizationPolicy",
            ["allowInvitesFrom"] = tenant.AllowInvitesFrom,
            ["allowedToSignUpEmailBasedSubscriptions"] = true,
            ["allowedToUseSSPR"] = true,
            ["allowEmailVerifiedUsersToJoinOrganization"] = false,
            ["allowUserConsentForRiskyApps"] = false,
            ["blockMsolPowerShell"] = false,
            ["description"] = "Used to manage authorization related settings across the company.",
            ["displayName"] = "Authorization Policy",
            ["guestUserRoleId"] = GuestUserRoleId,
            ["defaultUserRolePermissions"] = new JsonObject
            {
                ["allowedToCreateApps"] = true,
                ["allowedToCreateSecurityGroups"] = true,
                ["allowedToCreateTenants"] = true,
                ["allowedToReadBitlockerKeysForOwnedDevice"] = true,
                ["allowedToReadOtherUsers"] = true,
                ["permissionGrantPoliciesAssigned"] = new JsonArray("ManagePermissionGrantsForSelf.microsoft-user-default-legacy"),
            },
        });

    public static GraphResult Organization(GraphRequest request, string[] ids, GraphCaller caller, SimulatedTenant tenant)
    {
        var domains = new JsonArray();
        foreach (var domain in tenant.VerifiedDomains)
        {
            var initial = domain.EndsWith(".onmicrosoft.com", StringComparison.OrdinalIgnoreCase);
            domains.Add(new JsonObject
            {
                ["capabilities"] = "Email, OfficeCommunicationsOnline",
                ["isDefault"] = string.Equals(domain, SimulatedTenantDefaults.CustomDomain, StringComparison.OrdinalIgnoreCase),
                ["isInitial"] = initial,
                ["name"] = domain,
                ["type"] = "Managed",
            });
        }

        return new(200, new JsonObject
        {
            ["@odata.context"] = $"{caller.Urls.GraphBase}/$metadata#organization",
            ["value"] = new JsonArray(new JsonObject
            {
                ["id"] = SimulatedTenantDefaults.TenantId,
                ["displayName"] = SimulatedTenantDefaults.OrganizationName,
                ["verifiedDomains"] = domains,
            }),
        });
    }
}
