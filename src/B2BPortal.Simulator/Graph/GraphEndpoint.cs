using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using B2BPortal.Simulator.Faults;
using B2BPortal.Simulator.Identity;
using B2BPortal.Simulator.Tenant;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace B2BPortal.Simulator.Graph;

/// <summary>
/// The HTTP face of the Graph subset: bearer-token check, fault injection, statistics and JSON batching around
/// <see cref="GraphApi"/>. Latency and timeouts apply to the HTTP request; 429/503 dice and the invitation limits
/// apply to each Graph operation, including every request inside a $batch.
/// </summary>
internal static class GraphEndpoint
{
    public const string BatchTemplate = "/$batch";
    public const int MaxBatchRequests = 20;

    private const string GraphPrefix = "/graph/v1.0";
    private const string ContentType = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";

    private static readonly string[] GraphAudiences = [SimulatedTenantDefaults.GraphAudience, "00000003-0000-0000-c000-000000000000"];

    public static void Map(IEndpointRouteBuilder tenant) =>
        tenant.MapMethods($"{GraphPrefix}/{{**path}}", ["GET", "POST", "PATCH", "PUT", "DELETE"], Handle);

    private static async Task Handle(HttpContext context)
    {
        var services = context.RequestServices;
        var tenant = services.GetRequiredService<SimulatedTenant>();
        var options = services.GetRequiredService<SimulatorOptions>();
        var request = context.Request;
        var fullPath = request.Path.Value ?? string.Empty;
        var path = fullPath[(fullPath.IndexOf(GraphPrefix, StringComparison.OrdinalIgnoreCase) + GraphPrefix.Length)..];
        var isBatch = string.Equals(path.TrimEnd('/'), BatchTemplate, StringComparison.OrdinalIgnoreCase) && HttpMethods.IsPost(request.Method);
        var template = isBatch ? BatchTemplate : GraphApi.Match(request.Method, path).Route?.Template ?? "(unmatched)";
        tenant.Stats.CountRequest(request.Method, template);

        GraphResult result;
        try
        {
            result = await RespondAsync(context, tenant, options, path, isBatch);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (an injected timeout did its job): there is no one left to answer.
            tenant.Stats.CountResponse(499);
            return;
        }

        tenant.Stats.CountResponse(result.Status);
        await WriteAsync(context.Response, result);
    }

    private static async Task<GraphResult> RespondAsync(
        HttpContext context, SimulatedTenant tenant, SimulatorOptions options, string path, bool isBatch)
    {
        var settings = tenant.Faults.Settings;
        if (settings.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(settings.LatencyMs), options.TimeProvider, context.RequestAborted);
        }

        var caller = await AuthenticateAsync(context);
        if (caller is null)
        {
            return GraphResult.Error(401, "InvalidAuthenticationToken", "Access token is empty or invalid for this tenant.");
        }

        var fault = isBatch ? (tenant.Faults.RollTimeout() ? FaultKind.Timeout : FaultKind.None) : tenant.Faults.Roll(allowTimeout: true);
        if (fault == FaultKind.Timeout)
        {
            await Task.Delay(options.TimeoutDuration, options.TimeProvider, context.RequestAborted);
            return GraphResult.Error(504, "GatewayTimeout", "The request timed out.");
        }

        if (Fault(fault, settings) is { } injected)
        {
            return injected;
        }

        JsonNode? body;
        try
        {
            body = await ReadBodyAsync(context.Request);
        }
        catch (JsonException)
        {
            return GraphResult.Error(400, "BadRequest", "Unable to read JSON request payload.");
        }

        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        return isBatch
            ? Batch(body, caller, tenant)
            : GraphApi.Execute(new GraphRequest(context.Request.Method, path, query, body), caller, tenant, out _);
    }

    private static GraphResult? Fault(FaultKind fault, FaultSettings settings) => fault switch
    {
        FaultKind.Throttle => GraphResult.Throttled(settings.RetryAfterSeconds),
        FaultKind.ServerError => GraphResult.Error(503, "serviceNotAvailable", "The service is temporarily unavailable. Please retry later.",
            GraphResult.RetryAfter(settings.RetryAfterSeconds)),
        _ => null,
    };

    /// <summary>JSON batching: at most 20 requests, each answered on its own (dependsOn honoured, 424 when a dependency failed).</summary>
    private static GraphResult Batch(JsonNode? body, GraphCaller caller, SimulatedTenant tenant)
    {
        if (body?["requests"] is not JsonArray requests)
        {
            return GraphResult.Error(400, "BadRequest", "The batch request body must have a 'requests' array.");
        }

        if (requests.Count > MaxBatchRequests)
        {
            return GraphResult.Error(400, "BadRequest", $"Number of batch request steps exceeds the maximum of {MaxBatchRequests}.");
        }

        var statuses = new Dictionary<string, int>(StringComparer.Ordinal);
        var responses = new JsonArray();
        foreach (var node in requests)
        {
            var id = node?["id"]?.ToString() ?? string.Empty;
            var method = node?["method"]?.ToString().ToUpperInvariant() ?? "GET";
            var (path, query) = SplitUrl(node?["url"]?.ToString() ?? string.Empty);
            var dependsOn = (node?["dependsOn"] as JsonArray)?.Select(d => d?.ToString() ?? string.Empty) ?? [];

            var template = string.Equals(path.TrimEnd('/'), BatchTemplate, StringComparison.OrdinalIgnoreCase)
                ? BatchTemplate
                : GraphApi.Match(method, path).Route?.Template ?? "(unmatched)";
            tenant.Stats.CountRequest(method, template);

            GraphResult result;
            if (dependsOn.Any(d => !statuses.TryGetValue(d, out var s) || s >= 400))
            {
                result = GraphResult.Error(424, "FailedDependency", "A request this one depends on failed.");
            }
            else if (template == BatchTemplate)
            {
                result = GraphResult.Error(400, "BadRequest", "A $batch request cannot contain another $batch.");
            }
            else if (Fault(tenant.Faults.Roll(allowTimeout: false), tenant.Faults.Settings) is { } injected)
            {
                result = injected;
            }
            else
            {
                result = GraphApi.Execute(new GraphRequest(method, path, query, InnerBody(node?["body"])), caller, tenant, out _);
            }

            tenant.Stats.CountResponse(result.Status);
            statuses[id] = result.Status;
            var headers = new JsonObject();
            if (result.Body is not null)
            {
                headers["Content-Type"] = "application/json";
            }

            foreach (var (name, value) in result.Headers ?? new Dictionary<string, string>())
            {
                headers[name] = value;
            }

            var response = new JsonObject { ["id"] = id, ["status"] = result.Status, ["headers"] = headers };
            if (result.Body is not null)
            {
                response["body"] = result.Body;
            }

            responses.Add(response);
        }

        return new GraphResult(200, new JsonObject { ["responses"] = responses });
    }

    /// <summary>
    /// Inner URLs are relative ("/users?$top=1"), possibly with the version or as an absolute Graph URL. The Graph SDK
    /// cuts a fixed five characters ("/v1.0") off the path, so for a base URL with a longer path it sends e.g.
    /// "ant/graph/v1.0/invitations": everything up to and including "/v1.0" is dropped.
    /// </summary>
    private static (string Path, Dictionary<string, string> Query) SplitUrl(string url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal))
        {
            url = absolute.PathAndQuery;
        }

        var pathEnd = url.IndexOf('?', StringComparison.Ordinal) is var q and >= 0 ? q : url.Length;
        var version = url[..pathEnd].IndexOf("v1.0/", StringComparison.OrdinalIgnoreCase);
        if (version >= 0 && (version == 0 || url[version - 1] == '/'))
        {
            url = url[(version + "v1.0".Length)..];
        }

        var questionMark = url.IndexOf('?', StringComparison.Ordinal);
        var path = questionMark < 0 ? url : url[..questionMark];
        var query = questionMark < 0
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : QueryHelpers.ParseQuery(url[questionMark..]).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        return (path.StartsWith('/') ? path : "/" + path, query);
    }

    /// <summary>A JSON body, or a base64 string as the SDK sends non-JSON content.</summary>
    private static JsonNode? InnerBody(JsonNode? body)
    {
        if (body is JsonValue value && value.TryGetValue<string>(out var text))
        {
            try
            {
                return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(text)));
            }
            catch (Exception e) when (e is FormatException or JsonException)
            {
                return body;
            }
        }

        return body?.DeepClone();
    }

    private static async Task<GraphCaller?> AuthenticateAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var tokens = context.RequestServices.GetRequiredService<TokenService>();
        var identity = await tokens.ValidateAsync(header["Bearer ".Length..].Trim(), GraphAudiences);
        if (identity is null)
        {
            return null;
        }

        var tenant = context.RequestServices.GetRequiredService<SimulatedTenant>();
        var roles = identity.Claims
            .Where(c => c.Type is "roles" or "http://schemas.microsoft.com/ws/2008/06/identity/claims/role")
            .Select(c => c.Value);

        // Stricter than Entra, never more lenient: consent an admin removes counts at once, not when the token expires.
        var client = tenant.FindClient(identity.FindFirst("appid")?.Value ?? identity.FindFirst("azp")?.Value ?? string.Empty);
        if (client is not null)
        {
            var consented = tenant.ConsentedGraphPermissions(client);
            roles = roles.Where(r => consented.Contains(r, StringComparer.OrdinalIgnoreCase));
        }

        var permissions = roles
            .Concat(identity.Claims.Where(c => c.Type == "scp").SelectMany(c => c.Value.Split(' ')))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new GraphCaller(TenantUrls.For(context.Request), permissions, Principal(identity, tenant));
    }

    /// <summary>
    /// A token with <c>scp</c> acts as the signed-in person (delegated); one without acts as the application alone, as Graph
    /// tells the two apart. The person must still exist in the tenant.
    /// </summary>
    private static GraphPrincipal Principal(System.Security.Claims.ClaimsIdentity identity, SimulatedTenant tenant)
    {
        var clientId = identity.FindFirst("appid")?.Value ?? identity.FindFirst("azp")?.Value ?? string.Empty;
        var clientName = tenant.FindClient(clientId)?.DisplayName ?? clientId;
        var isDelegated = identity.FindFirst("scp") is not null;
        var objectId = identity.FindFirst("oid")?.Value ?? identity.FindFirst("http://schemas.microsoft.com/identity/claims/objectidentifier")?.Value;
        var person = isDelegated && objectId is not null ? tenant.FindPerson(objectId) : null;
        return new GraphPrincipal(clientId, clientName, person);
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength == 0 || HttpMethods.IsGet(request.Method))
        {
            return null;
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
    }

    private static async Task WriteAsync(HttpResponse response, GraphResult result)
    {
        response.StatusCode = result.Status;
        response.Headers["request-id"] = Guid.NewGuid().ToString();
        foreach (var (name, value) in result.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        if (result.Body is not null)
        {
            response.ContentType = ContentType;
            await response.WriteAsync(result.Body.ToJsonString(SimulatorJson.Options), response.HttpContext.RequestAborted);
        }
    }
}
