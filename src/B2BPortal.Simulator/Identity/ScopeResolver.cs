using B2BPortal.Simulator.Tenant;

namespace B2BPortal.Simulator.Identity;

/// <summary>Turns requested scopes into a token audience the way Entra's v2.0 endpoint does (one resource per token).</summary>
internal static class ScopeResolver
{
    private static readonly HashSet<string> OidcScopes = new(StringComparer.OrdinalIgnoreCase) { "openid", "profile", "email", "offline_access" };

    private static readonly string[] GraphPrefixes = ["https://graph.microsoft.com/", "00000003-0000-0000-c000-000000000000/"];

    private static readonly string[] PortalApiPrefixes =
        [$"api://{SimulatedTenantDefaults.PortalClientId}/", $"{SimulatedTenantDefaults.PortalClientId}/"];

    public static bool WantsRefreshToken(string scope) =>
        Split(scope).Contains("offline_access", StringComparer.OrdinalIgnoreCase);

    /// <summary>Resolves the audience; returns an error description when the scopes cannot be served.</summary>
    /// <param name="consented">The client's Graph application permissions an admin consented to (app-only tokens carry only these).</param>
    public static (TokenAudience? Audience, string? Error) Resolve(ClientApp client, string scope, bool appOnly, IReadOnlyList<string>? consented = null)
    {
        var resourceScopes = Split(scope).Where(s => !OidcScopes.Contains(s)).ToList();
        if (resourceScopes.Count == 0)
        {
            return appOnly
                ? (null, "AADSTS1002012: The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).")
                : (new TokenAudience(SimulatedTenantDefaults.GraphAudience, [], ["openid", "profile", "email", "User.Read"]), null);
        }

        string? audience = null;
        var delegated = new List<string>();
        var isDefault = false;
        foreach (var s in resourceScopes)
        {
            var (resource, name) = Parse(s);
            if (resource is null)
            {
                return (null, $"AADSTS500011: The resource principal named {s} was not found in the tenant.");
            }

            if (audience is not null && audience != resource)
            {
                return (null, "AADSTS28000: Provided value for the input parameter scope is not valid because it contains more than one resource.");
            }

            audience = resource;
            if (name == ".default")
            {
                isDefault = true;
            }
            else
            {
                delegated.Add(name);
            }
        }

        if (appOnly && !isDefault)
        {
            return (null, "AADSTS1002012: The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).");
        }

        var isGraph = audience == SimulatedTenantDefaults.GraphAudience;
        if (appOnly)
        {
            return (new TokenAudience(audience!, isGraph ? consented ?? client.GraphPermissions : client.PortalApiRoles, []), null);
        }

        if (isDefault)
        {
            delegated.Add(isGraph ? "User.Read" : "access_as_user");
        }

        return (new TokenAudience(audience!, [], delegated), null);
    }

    private static (string? Resource, string Name) Parse(string scope)
    {
        foreach (var prefix in GraphPrefixes)
        {
            if (scope.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return (SimulatedTenantDefaults.GraphAudience, scope[prefix.Length..]);
            }
        }

        foreach (var prefix in PortalApiPrefixes)
        {
            if (scope.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return (SimulatedTenantDefaults.PortalClientId, scope[prefix.Length..]);
            }
        }

        // A bare scope name ("User.Read") means Microsoft Graph, as in Entra.
        return scope.Contains('/', StringComparison.Ordinal) ? (null, scope) : (SimulatedTenantDefaults.GraphAudience, scope);
    }

    private static string[] Split(string scope) => scope.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
