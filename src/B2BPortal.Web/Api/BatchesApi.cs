using System.Security.Claims;
using B2BPortal.Web.Delivery.Email;
using Microsoft.AspNetCore.Http.HttpResults;

namespace B2BPortal.Web.Api;

/// <summary>API v1 exactly as the README's "API v1" section describes it (plus submit/discard/cancel).</summary>
public static class BatchesApi
{
    internal static async Task<IResult> UploadAsync(HttpRequest request, UploadBatch upload, ClaimsPrincipal user, bool? submit, string? email, CancellationToken ct)
    {
        if ((UploadBatch.EmailProblem(email) ?? upload.WriterProblem(UploadBatch.Writer(email))) is { } problem)
        {
            return Problem(StatusCodes.Status400BadRequest, problem);
        }

        var body = await ApiEndpoints.ReadFileFormAsync(request, "Send the CSV as multipart/form-data in a field named 'file'.", ct);
        if (body.File is not { } file)
        {
            return body.Refusal!;
        }

        try
        {
            await using var stream = file.OpenReadStream();
            var batch = await upload.HandleAsync(
                new UploadBatch.Command(stream, file.FileName, user.ActorName(), submit ?? true, UploadBatch.Writer(email), BatchSender.OfBrowser(request.HttpContext)), ct);
            return Created(batch);
        }
        catch (InvitationFileRejectedException rejected)
        {
            return Problem(rejected.StatusCode, rejected.Detail, "The file cannot be read as an invitation list.");
        }
    }

    internal static async Task<IResult> ListAsync(ListBatches list, int? page, int? pageSize, CancellationToken ct)
    {
        if (PagingProblem(page, pageSize) is { } problem)
        {
            return problem;
        }

        var (p, size) = Paging(page, pageSize, 20);
        var found = await list.HandleAsync(new ListBatches.Query(p, size), ct);
        return TypedResults.Ok(new PagedResult<BatchSummary>(
            found.Batches.Select(b => new BatchSummary(b.Id, b.FileName, ApiFormats.Format(b.Format), b.Status.ToString(), b.UploadedBy, b.UploadedAt, b.SubmittedAt, b.TotalRows, b.ValidRows, b.InvalidRows)).ToList(),
            found.Total,
            found.Page,
            found.PageSize));
    }

    internal static async Task<IResult> GetAsync(Guid id, BatchDetails details, CancellationToken ct)
    {
        // One round trip per poll (automation polls this in a loop), and `done` from one snapshot of the batch and its counts.
        if (await details.HandleAsync(new BatchDetails.Query(id), ct) is not { } found)
        {
            return NotFound(id);
        }

        var (batch, c) = found;
        return TypedResults.Ok(new BatchDetail(
            batch.Id, batch.FileName, ApiFormats.Format(batch.Format), batch.Status.ToString(), batch.Sha256, batch.SizeBytes,
            batch.UploadedBy, batch.UploadedAt, batch.SubmittedAt, batch.TotalRows, batch.ValidRows, batch.InvalidRows,
            new BatchCounts(c.Queued, c.Sending, c.Invited, c.Accepted, c.Failed, c.Invalid, c.Cancelled, c.Held),
            Done: found.Done,
            Email: ApiFormats.Email(batch.Email),
            SentAs: batch.SentAs ?? "app",
            PausedReason: batch.PausedReason));
    }

    internal static async Task<IResult> InvitationsAsync(Guid id, BatchDetails details, string? status, string? search, int? page, int? pageSize, CancellationToken ct)
    {
        if (await details.HandleAsync(new BatchDetails.Query(id), ct) is not { } found)
        {
            return NotFound(id);
        }

        InvitationStatus? filter = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!Enum.TryParse<InvitationStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Problem(StatusCodes.Status400BadRequest, $"Unknown status '{status}'. Use one of: {string.Join(", ", Enum.GetNames<InvitationStatus>())}.");
            }

            filter = parsed;
        }

        if (PagingProblem(page, pageSize) is { } problem)
        {
            return problem;
        }

        var (p, size) = Paging(page, pageSize);
        var rows = await details.RowsAsync(found, new BatchDetails.RowsQuery(filter, search, p, size), ct);
        return TypedResults.Ok(new PagedResult<InvitationItem>(rows.Items.Select(ToItem).ToList(), rows.Total, rows.Page, rows.PageSize));
    }

    internal static async Task<IResult> SubmitAsync(Guid id, SendBatch send, HttpContext context, string? sendAs, CancellationToken ct)
    {
        if (SendBatch.SendAsProblem(sendAs) is { } problem)
        {
            return Problem(StatusCodes.Status400BadRequest, problem);
        }

        var sender = SendBatch.AsApplication(sendAs) ? null : BatchSender.OfBrowser(context);
        return await send.HandleAsync(new SendBatch.Command(id, context.User.ActorName(), sender), ct) is { } queued
            ? TypedResults.Accepted($"/api/v1/batches/{id}", new ResendAccepted(queued))
            : Problem(StatusCodes.Status409Conflict, SendBatch.NotUnderReview);
    }

    internal static async Task<IResult> DiscardAsync(Guid id, DiscardBatch discard, ClaimsPrincipal user, CancellationToken ct) =>
        await discard.HandleAsync(new DiscardBatch.Command(id, user.ActorName()), ct)
            ? TypedResults.NoContent()
            : Problem(StatusCodes.Status409Conflict, DiscardBatch.NotUnderReview);

    internal static async Task<IResult> CancelAsync(Guid id, CancelBatch cancel, ClaimsPrincipal user, CancellationToken ct) =>
        await cancel.HandleAsync(new CancelBatch.Command(id, user.ActorName()), ct) is { } cancelled
            ? TypedResults.Accepted($"/api/v1/batches/{id}", new BatchCancelled(cancelled))
            : NotFound(id);

    /// <summary>The tenant-wide pacing state, so automation can see an abuse-block pause and wait or alert.</summary>
    internal static async Task<Ok<DeliveryState>> DeliveryStateAsync(SendingControl actions, CancellationToken ct) =>
        TypedResults.Ok(DeliveryState.From(await actions.GetPacingStateAsync(ct)));

    /// <summary>Lifts an abuse-block pause (audited); a no-op when sending is not paused.</summary>
    internal static async Task<Accepted<DeliveryState>> ResumeDeliveryAsync(SendingControl actions, ClaimsPrincipal user, CancellationToken ct)
    {
        await actions.ResumeTenantAsync(user.ActorName(), ct);
        return TypedResults.Accepted("/api/v1/delivery", DeliveryState.From(await actions.GetPacingStateAsync(ct)));
    }

    internal static async Task<IResult> ResendAsync(Guid id, PortalDbContext db, ResendBatch resend, ClaimsPrincipal user, [FromBody] ResendRequest? body, CancellationToken ct)
    {
        var command = new ResendBatch.Command(id, body?.Statuses, body?.ResetRedemption ?? false, user.ActorName());
        if (!await db.Batches.AnyAsync(b => b.Id == id, ct))
        {
            return NotFound(id);
        }

        if (ResendBatch.Problem(command) is { } problem)
        {
            return Problem(StatusCodes.Status400BadRequest, problem);
        }

        return await resend.HandleAsync(command, ct) is { } requeued
            ? TypedResults.Accepted($"/api/v1/batches/{id}", new ResendAccepted(requeued))
            : NotFound(id);
    }

    internal static async Task<IResult> ResultsAsync(Guid id, PortalDbContext db, HttpContext context, CancellationToken ct)
    {
        var batch = await db.Batches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, ct);
        if (batch is null)
        {
            return NotFound(id);
        }

        var rows = db.Invitations.AsNoTracking().Where(i => i.BatchId == id).OrderBy(i => i.RowNumber)
            .AsAsyncEnumerable()
            .Select(i => new ResultRow(
                i.RowNumber, i.Email, i.DisplayName, i.Status.ToString(),
                i.ValidationErrors is not { Count: > 0 } ? null : string.Join(" ", i.Errors.Select(e => e.Message)),
                i.LastError, i.GraphUserId, i.RedeemUrl, i.InvitedAt, i.AcceptedAt));
        var name = Path.GetFileNameWithoutExtension(batch.FileName);
        return Results.Stream(
            stream => ResultsCsv.WriteAsync(stream, rows, ct),
            "text/csv; charset=utf-8",
            $"{name}-results.csv");
    }

    internal static async Task<IResult> InviteOneAsync(SingleInvitationRequest request, InviteOne invite, HttpContext context, CancellationToken ct)
    {
        var user = context.User;
        var row = new InvitationRow(
            1, request.Email, request.DisplayName, request.InviteContactUsUrl, request.InviteAppId, request.InviteAppResources,
            request.InviteGroupResources, request.InviteRedirectUrl, request.Language,
            request.SendEmail is null ? null : request.SendEmail.Value ? "true" : "false", request.CustomizedMessageBody);
        var (batch, errors) = await invite.HandleAsync(new InviteOne.Command(row, user.ActorName(), BatchSender.OfBrowser(context)), ct);
        if (errors.Count > 0)
        {
            return ApiEndpoints.RowErrors("The invitation is not valid.", errors);
        }

        return Created(batch);
    }

    internal static InvitationItem ToItem(Invitation i) => new(
        i.Id, i.RowNumber, i.Email, i.DisplayName, i.Status.ToString(), i.Errors, i.LastError, i.GraphUserId,
        i.RedeemUrl, i.Attempts, i.Language, IdList.Text(i.GroupIds), IdList.Text(i.AppIds), i.InvitedAt, i.AcceptedAt, i.BrandingAppId,
        PortalEmail.StatusOf(i), i.EmailSentAt, i.EmailError);

    /// <summary>The most rows or batches one page of a list answers.</summary>
    public const int MaxPageSize = 200;

    /// <summary>The largest page number: (page - 1) × pageSize must stay a 32-bit offset.</summary>
    public const int MaxPage = int.MaxValue / MaxPageSize;

    /// <summary>A 400 naming the paging value to change, or null when both are in range (or left out).</summary>
    private static IResult? PagingProblem(int? page, int? pageSize)
    {
        if (page is < 1 or > MaxPage)
        {
            return Problem(StatusCodes.Status400BadRequest, $"page must be between 1 and {MaxPage} (got {page}); pages are numbered from 1.");
        }

        if (pageSize is < 1 or > MaxPageSize)
        {
            return Problem(StatusCodes.Status400BadRequest, $"pageSize must be between 1 and {MaxPageSize} (got {pageSize}).");
        }

        return null;
    }

    /// <summary>The page and page size asked for, or the defaults for those left out.</summary>
    private static (int Page, int PageSize) Paging(int? page, int? pageSize, int defaultSize = 50) =>
        (Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? defaultSize, 1, MaxPageSize));

    /// <summary>A 201 for a batch just made (an upload, a single invitation), at its URL.</summary>
    private static IResult Created(Batch batch) => TypedResults.Created(
        $"/api/v1/batches/{batch.Id}",
        new BatchCreated(batch.Id, batch.FileName, ApiFormats.Format(batch.Format), batch.TotalRows, batch.ValidRows, batch.InvalidRows, batch.Status.ToString()));

    private static IResult NotFound(Guid id) => Problem(StatusCodes.Status404NotFound, $"There is no batch {id}.");

    private static IResult Problem(int status, string detail, string? title = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);
}
