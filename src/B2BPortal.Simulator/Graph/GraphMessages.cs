using System.Globalization;
using System.Text.Json.Nodes;
using B2BPortal.Simulator.Tenant;

namespace B2BPortal.Simulator.Graph;

/// <summary>One Graph request, from HTTP or from inside a $batch. <see cref="Path"/> is relative to /v1.0 and starts with '/'.</summary>
internal sealed record GraphRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, JsonNode? Body);

/// <summary>One Graph response: status, optional JSON body, extra headers (Retry-After…).</summary>
internal sealed record GraphResult(int Status, JsonNode? Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static GraphResult Error(TenantError error, IReadOnlyDictionary<string, string>? headers = null) =>
        Error(error.Status, error.Code, error.Message, headers);

    /// <summary>Graph's error body: <c>{ "error": { "code", "message", "innerError" } }</c>.</summary>
    public static GraphResult Error(int status, string code, string message, IReadOnlyDictionary<string, string>? headers = null)
    {
        var requestId = Guid.NewGuid().ToString();
        var body = new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["innerError"] = new JsonObject
                {
                    ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                    ["request-id"] = requestId,
                    ["client-request-id"] = requestId,
                },
            },
        };
        return new GraphResult(status, body, headers);
    }

    public static GraphResult Throttled(int retryAfterSeconds, string message = "Too many requests. Wait for the time in Retry-After and try again.") =>
        Error(429, "TooManyRequests", message, RetryAfter(retryAfterSeconds));

    public static Dictionary<string, string> RetryAfter(int seconds) =>
        new() { ["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture) };
}
