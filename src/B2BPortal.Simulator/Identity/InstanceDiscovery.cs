using Microsoft.AspNetCore.Http;

namespace B2BPortal.Simulator.Identity;

/// <summary>
/// Entra's instance discovery (<c>GET /common/discovery/instance?api-version=1.1&amp;authorization_endpoint=…</c>), which
/// MSAL calls before it trusts an authority host. It answers for the host of the authorization endpoint it is asked
/// about, which must be this simulator's own host; anything else gets Entra's invalid_instance.
/// </summary>
internal static class InstanceDiscovery
{
    private const string AuthorizePath = "/oauth2/v2.0/authorize";

    public static IResult Handle(HttpRequest request)
    {
        var endpoint = request.Query["authorization_endpoint"].ToString();
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var authorize)
            || !string.Equals(authorize.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase)
            || authorize.Port != (request.Host.Port ?? (request.IsHttps ? 443 : 80))
            || !authorize.AbsolutePath.EndsWith(AuthorizePath, StringComparison.OrdinalIgnoreCase))
        {
            return Error("invalid_instance", "AADSTS50049: Unknown or invalid instance.");
        }

        var authority = endpoint[..endpoint.IndexOf(AuthorizePath, StringComparison.OrdinalIgnoreCase)];

        // MSAL compares aliases with the authority's host and swaps preferred_network in as the host: names without a port.
        var host = authorize.Host;
        return Results.Json(
            new Dictionary<string, object>
            {
                ["tenant_discovery_endpoint"] = $"{authority}/v2.0/.well-known/openid-configuration",
                ["api-version"] = "1.1",
                ["metadata"] = new[]
                {
                    new Dictionary<string, object>
                    {
                        ["preferred_network"] = host,
                        ["preferred_cache"] = host,
                        ["aliases"] = new[] { host },
                    },
                },
            },
            SimulatorJson.Options);
    }

    private static IResult Error(string error, string description) => Results.Json(
        new Dictionary<string, object>
        {
            ["error"] = error,
            ["error_description"] = description,
            ["error_codes"] = new[] { 50049 },
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["trace_id"] = Guid.NewGuid().ToString(),
            ["correlation_id"] = Guid.NewGuid().ToString(),
        },
        SimulatorJson.Options,
        statusCode: 400);
}
