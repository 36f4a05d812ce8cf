using Microsoft.AspNetCore.Antiforgery;

namespace B2BPortal.Web.Api;

/// <summary>API v1's routes, and what its handlers share: reading the CSV of a multipart form, the 400 that lists row errors, antiforgery for cookie calls.</summary>
internal static class ApiEndpoints
{
    /// <summary>
    /// API v1: every route under <c>/api/v1</c> and its handler, group by group in the order the document lists them;
    /// what the document says of each operation is in ApiOperations.json (<see cref="ApiOperations"/>).
    /// </summary>
    public static WebApplication MapApiV1(this WebApplication app)
    {
        var batches = app.MapApiV1Group("/batches", AuthenticationSetup.InvitationAdminPolicy, "Batches");
        batches.MapPost("", BatchesApi.UploadAsync).Documented("UploadBatch");
        batches.MapGet("", BatchesApi.ListAsync).Documented("ListBatches");
        batches.MapGet("/{id:guid}", BatchesApi.GetAsync).Documented("GetBatch");
        batches.MapGet("/{id:guid}/invitations", BatchesApi.InvitationsAsync).Documented("ListBatchInvitations");
        batches.MapPost("/{id:guid}/submit", BatchesApi.SubmitAsync).Documented("SubmitBatch");
        batches.MapPost("/{id:guid}/discard", BatchesApi.DiscardAsync).Documented("DiscardBatch");
        batches.MapPost("/{id:guid}/cancel", BatchesApi.CancelAsync).Documented("CancelBatch");
        batches.MapPost("/{id:guid}/resend", BatchesApi.ResendAsync).Documented("ResendBatchInvitations");
        batches.MapGet("/{id:guid}/results.csv", BatchesApi.ResultsAsync).Documented("DownloadBatchResults");

        var invitations = app.MapApiV1Group("/invitations", AuthenticationSetup.InvitationAdminPolicy, "Invitations");
        invitations.MapPost("", BatchesApi.InviteOneAsync).Documented("InviteGuest");

        var delivery = app.MapApiV1Group("/delivery", AuthenticationSetup.InvitationAdminPolicy, "Delivery");
        delivery.MapGet("", BatchesApi.DeliveryStateAsync).Documented("GetDeliveryState");
        delivery.MapPost("/resume", BatchesApi.ResumeDeliveryAsync).Documented("ResumeDelivery");

        var requests = app.MapApiV1Group("/access-requests", AuthenticationSetup.RequesterPolicy, "AccessRequests");
        requests.MapPost("", AccessRequestsApi.CreateAsync).Documented("CreateAccessRequest");
        requests.MapPost("/file", AccessRequestsApi.CreateFromFileAsync).Documented("CreateAccessRequestFromFile");
        requests.MapGet("", AccessRequestsApi.ListAsync).Documented("ListAccessRequests");
        requests.MapGet("/{id:guid}", AccessRequestsApi.GetAsync).Documented("GetAccessRequest");
        requests.MapPost("/{id:guid}/approve", AccessRequestsApi.ApproveAsync).Documented("ApproveAccessRequest").RequireAuthorization(AuthenticationSetup.ApproverPolicy);
        requests.MapPost("/{id:guid}/reject", AccessRequestsApi.RejectAsync).Documented("RejectAccessRequest").RequireAuthorization(AuthenticationSetup.ApproverPolicy);

        var guests = app.MapApiV1Group("/guests", AuthenticationSetup.GuestCleanupPolicy, "Guests");
        guests.MapGet("/cleanup", GuestsApi.PlanAsync).Documented("PlanGuestCleanup");
        guests.MapPost("/cleanup", GuestsApi.RunAsync).Documented("RunGuestCleanup");
        guests.MapPost("/{invitationId:long}/restore", GuestsApi.RestoreAsync).Documented("RestoreGuest");
        return app;
    }

    /// <summary>
    /// A group of API v1 operations: the policy its callers must meet and its OpenAPI tag. Bearer calls carry no
    /// antiforgery token; a cookie-authenticated call must, like any form post (<see cref="CookieAntiforgeryFilter"/>).
    /// </summary>
    private static RouteGroupBuilder MapApiV1Group(this WebApplication app, string prefix, string policy, string tag) =>
        app.MapGroup("/api/v1" + prefix)
            .RequireAuthorization(policy)
            .DisableAntiforgery()
            .AddEndpointFilter<CookieAntiforgeryFilter>()
            .WithTags(tag);

    /// <summary>The CSV file of a multipart/form-data body (its field <c>file</c>) and the rest of the form; or, instead of the file, the answer that refuses the body.</summary>
    public sealed record FileForm(IFormCollection? Form, IFormFile? File, IResult? Refusal);

    /// <summary>
    /// Reads a body that should be a multipart/form-data form with a CSV in its field <c>file</c> (an upload, an access
    /// request from a file). Not a form: 415 with <paramref name="notAForm"/>; a form that does not parse, or has no file:
    /// 400 (413 past the size limit) saying how to send one.
    /// </summary>
    public static async Task<FileForm> ReadFileFormAsync(HttpRequest request, string notAForm, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasFormContentType)
        {
            return new FileForm(null, null, TypedResults.Problem(detail: notAForm, statusCode: StatusCodes.Status415UnsupportedMediaType));
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception error) when (error is InvalidDataException or IOException && !ct.IsCancellationRequested && error is not BadHttpRequestException)
        {
            // The body is not the multipart form its Content-Type announces (no boundary, a boundary the body does not
            // use, a body cut short, a part too long): the caller's mistake, so say how to send the file instead.
            return new FileForm(null, null, UnreadableForm(error));
        }

        return form.Files.GetFile("file") is { } file
            ? new FileForm(form, file, null)
            : new FileForm(form, null, TypedResults.Problem(
                detail: $"No file was sent: the form has no file in a field named 'file'. {HowToSendTheFile}", statusCode: StatusCodes.Status400BadRequest));
    }

    /// <summary>A 400 whose <c>errors</c> are the rows' (or partners') errors, each sentence also in the detail.</summary>
    public static IResult RowErrors(string title, IReadOnlyList<RowError> errors) => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status400BadRequest,
        Title = title,
        Detail = string.Join(" ", errors.Select(e => e.Message)),
        Extensions = { ["errors"] = errors },
    });

    /// <summary>A 400 (or 413 past the size limit) for a body that does not parse as the multipart form it claims to be.</summary>
    private static IResult UnreadableForm(Exception error)
    {
        var why = error.Message switch
        {
            var m when m.Contains("boundary", StringComparison.OrdinalIgnoreCase) => "its Content-Type names no usable multipart boundary",
            var m when m.Contains("length limit", StringComparison.OrdinalIgnoreCase) && m.Contains("Multipart body", StringComparison.OrdinalIgnoreCase) =>
                null,
            var m when m.Contains("limit", StringComparison.OrdinalIgnoreCase) => "a form part or field is longer than the portal accepts",
            _ => "the body ended before the multipart form did (no part uses the announced boundary, or the body was cut short)",
        };
        if (why is null)
        {
            return TypedResults.Problem(
                detail: "The upload is larger than the portal accepts. Split the list into several files.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file is too large.");
        }

        return TypedResults.Problem(
            detail: $"The request body is not a readable multipart/form-data form: {why}. {HowToSendTheFile}",
            statusCode: StatusCodes.Status400BadRequest,
            title: "The upload could not be read.");
    }

    internal const string HowToSendTheFile =
        "Send the CSV as multipart/form-data with the file in a field named 'file' (curl -F file=@partners.csv …); " +
        "let the HTTP client write the Content-Type with its boundary rather than setting it by hand.";

    /// <summary>Antiforgery for API calls made with the portal's cookie (a browser); bearer-token calls are not CSRF-able.</summary>
    internal sealed class CookieAntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
    {
        public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var http = context.HttpContext;
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !AuthenticationSetup.HasBearerToken(http.Request)
                && !await antiforgery.IsRequestValidAsync(http))
            {
                return TypedResults.Problem(detail: "The antiforgery token is missing or invalid. Reload the page and try again.", statusCode: StatusCodes.Status400BadRequest);
            }

            return await next(context);
        }
    }
}
