using System.Collections.Frozen;

namespace B2BPortal.Web.Hosting.Telemetry;

/// <summary>
/// A Graph request's method and path template (<c>POST /groups/{id}/members/$ref</c>): the <c>graph.operation</c> tag.
/// </summary>
/// <remarks>
/// Only Graph's own resource names are kept; every other segment becomes <c>{id}</c>. That keeps object ids (and a
/// user principal name, were one ever used as a key) out of the tag and the number of series bounded.
/// </remarks>
public static class GraphOperation
{
    private static readonly FrozenSet<string> ResourceNames = new[]
    {
        "invitations", "users", "groups", "members", "$ref", "servicePrincipals", "appRoleAssignedTo",
        "$batch", "directoryObjects", "applications", "organization", "domains", "memberOf",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static string Of(string method, Uri? uri)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (uri is null || !uri.IsAbsoluteUri)
        {
            return $"{method} /";
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);

        // The base URL may have a path of its own (the simulator's /_tenant/graph/v1.0): start after the version.
        var start = Array.FindLastIndex(segments, s => s is "v1.0" or "beta") + 1;
        var template = segments[start..].Select(s => ResourceNames.TryGetValue(s, out var name) ? name : "{id}");
        return $"{method} /{string.Join('/', template)}";
    }
}
