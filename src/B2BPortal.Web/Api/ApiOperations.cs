using System.Collections.Frozen;

namespace B2BPortal.Web.Api;

/// <summary>
/// What API v1's OpenAPI document says of each operation (its summary and description, the body it accepts, the answers
/// it gives and the problems it may answer with), described once in ApiOperations.json; the routes stay in
/// <see cref="ApiEndpoints.MapApiV1"/> and the handlers in their group's file. <see cref="ApiDocument"/> adds what every
/// operation shares (401/403, 429, examples).
/// </summary>
internal static class ApiOperations
{
    private static readonly FrozenDictionary<string, Operation> ById =
        EmbeddedData.Read<Dictionary<string, Operation>>(typeof(ApiOperations), "API v1's operation descriptions").ToFrozenDictionary();

    /// <summary>The operation ids the file describes, for the test that every one of them is mapped.</summary>
    public static IEnumerable<string> Ids => ById.Keys;

    /// <summary>Names the endpoint <paramref name="operationId"/> and gives it that operation's description.</summary>
    public static RouteHandlerBuilder Documented(this RouteHandlerBuilder builder, string operationId)
    {
        var operation = ById.GetValueOrDefault(operationId) ?? throw new InvalidOperationException($"ApiOperations.json does not describe the operation {operationId}.");
        builder.WithName(operationId).WithSummary(operation.Summary).WithDescription(operation.Description);
        if (operation.Accepts is { } body)
        {
            builder.Accepts(TypeNamed(body.Type), body.Optional, body.ContentType);
        }

        foreach (var answer in operation.Produces ?? [])
        {
            builder.Produces(answer.Status, answer.Type is null ? null : TypeNamed(answer.Type), answer.ContentType);
        }

        foreach (var status in operation.Problems ?? [])
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }

    /// <summary>
    /// A type the file names as C# would within this namespace: <c>BatchDetail</c>, <c>PagedResult&lt;BatchSummary&gt;</c>,
    /// <c>AccessRequestView[]</c>, or <c>string</c>.
    /// </summary>
    internal static Type TypeNamed(string name) => name switch
    {
        "string" => typeof(string),
        _ when name.EndsWith("[]", StringComparison.Ordinal) => TypeNamed(name[..^2]).MakeArrayType(),
        _ when name.IndexOf('<', StringComparison.Ordinal) is > 0 and var open && name.EndsWith('>') =>
            ApiType($"{name[..open]}`1").MakeGenericType(TypeNamed(name[(open + 1)..^1])),
        _ => ApiType(name),
    };

    private static Type ApiType(string name) =>
        typeof(ApiOperations).Assembly.GetType($"{typeof(ApiOperations).Namespace}.{name}")
        ?? throw new InvalidOperationException($"ApiOperations.json names a type {name} that B2BPortal.Web.Api does not have.");

    private sealed record Operation(string Summary, string Description, Body? Accepts, Answer[]? Produces, int[]? Problems);

    private sealed record Body(string Type, string ContentType, bool Optional);

    private sealed record Answer(int Status, string? Type, string? ContentType);
}
