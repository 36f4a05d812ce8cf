namespace B2BPortal.Web.Api;

/// <summary>What every API v1 group and operation is declared with, so each endpoint's block states only its own facts.</summary>
internal static class ApiEndpoints
{
    /// <summary>
    /// A group of API v1 operations under <paramref name="prefix"/> behind <paramref name="policy"/>. Bearer calls carry no
    /// antiforgery token; a cookie-authenticated call must, like any form post (<see cref="BatchesApi.CookieAntiforgeryFilter"/>).
    /// </summary>
    public static RouteGroupBuilder MapApiGroup(this WebApplication app, string prefix, string policy, string tag) =>
        app.MapGroup(prefix)
            .RequireAuthorization(policy)
            .DisableAntiforgery()
            .AddEndpointFilter<BatchesApi.CookieAntiforgeryFilter>()
            .WithTags(tag);

    /// <summary>The operation id, summary and description of the OpenAPI document.</summary>
    public static RouteHandlerBuilder Operation(this RouteHandlerBuilder builder, string name, string summary, string description) =>
        builder.WithName(name).WithSummary(summary).WithDescription(description);

    /// <summary>The problem-details answers an operation really gives, in the order the document lists them.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }
}
