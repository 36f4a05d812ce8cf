namespace B2BPortal.Simulator.Tenant;

/// <summary>A refusal in Graph's terms: HTTP status, Graph error code and message.</summary>
public sealed record TenantError(int Status, string Code, string Message)
{
    public static TenantError NotFound(string id) => new(
        404,
        "Request_ResourceNotFound",
        $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");

    public static TenantError BadRequest(string message) => new(400, "Request_BadRequest", message);
}
