namespace B2BPortal.Web.Api;

/// <summary>
/// Access requests in API v1 (issue 13), the operations of the pages: any member of the tenant (cookie) or an automation
/// client creates requests and lists them (a member sees their own only); approvers (admins, the app role, or the
/// configured approver groups) approve or reject.
/// </summary>
public static class AccessRequestsApi
{
    internal static async Task<IResult> CreateAsync(AccessRequestCreate body, AccessRequests requests, HttpContext context, CancellationToken ct)
    {
        // A null in the list is a partner with nothing filled in: the checks name what is missing.
        var partners = (body.Partners ?? []).Select(p => new RequestedPartner(p?.Email, p?.DisplayName, p?.Company, p?.Language, p?.GroupIds, p?.AppIds)).ToList();
        var (request, errors) = await requests.CreateAsync(Requester.Of(context.User), body.Justification, partners, ct);
        if (request is null)
        {
            return ApiEndpoints.RowErrors(NotValid, errors);
        }

        return TypedResults.Created($"/api/v1/access-requests/{request.Id}", await ViewAsync(request, requests, ct));
    }

    internal static async Task<IResult> CreateFromFileAsync(HttpRequest http, AccessRequests requests, CancellationToken ct)
    {
        var body = await ApiEndpoints.ReadFileFormAsync(http, "Send the CSV as multipart/form-data in a field named 'file', with the reason in 'justification'.", ct);
        if (body is not { Form: { } form, File: { } file })
        {
            return body.Refusal!;
        }

        await using var content = file.OpenReadStream();
        var (request, errors) = await requests.CreateFromFileAsync(Requester.Of(http.HttpContext.User), form["justification"].ToString(), content, ct);
        return request is null
            ? ApiEndpoints.RowErrors(NotValid, errors)
            : TypedResults.Created($"/api/v1/access-requests/{request.Id}", await ViewAsync(request, requests, ct));
    }

    internal static async Task<IResult> ListAsync(
        string? status, AccessRequests requests, HttpContext context, IOptionsMonitor<PortalAccessOptions> access, CancellationToken ct)
    {
        AccessRequestStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (!Enum.TryParse<AccessRequestStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
            {
                return TypedResults.Problem(detail: $"status must be pending, approved or rejected (got '{status}').", statusCode: StatusCodes.Status400BadRequest);
            }

            filter = parsed;
        }

        IEnumerable<AccessRequest> list = MaySeeAll(context.User, access.CurrentValue)
            ? await requests.ListAsync(filter, 200, ct)
            : (await requests.MineAsync(Requester.Of(context.User), ct)).Where(r => filter is null || r.Status == filter);
        var views = new List<AccessRequestView>();
        foreach (var request in list)
        {
            views.Add(await ViewAsync(request, requests, ct));
        }

        return TypedResults.Ok(views);
    }

    internal static async Task<IResult> GetAsync(Guid id, AccessRequests requests, HttpContext context, IOptionsMonitor<PortalAccessOptions> access, CancellationToken ct)
    {
        var request = await requests.FindAsync(id, ct);
        if (request is null || !MaySeeAll(context.User, access.CurrentValue) && !AccessRequests.IsOwn(request, Requester.Of(context.User)))
        {
            return NotFound(id);
        }

        return TypedResults.Ok(await ViewAsync(request, requests, ct));
    }

    internal static async Task<IResult> ApproveAsync(
        Guid id, [FromBody] AccessDecisionRequest? body, AccessRequests requests, HttpContext context, CancellationToken ct) =>
        await DecidedAsync(await requests.ApproveAsync(id, body?.Comment, context.User.ActorName(), BatchSender.OfBrowser(context), ct, body?.Partners), id, requests, ct);

    internal static async Task<IResult> RejectAsync(Guid id, AccessDecisionRequest body, AccessRequests requests, HttpContext context, CancellationToken ct) =>
        await DecidedAsync(await requests.RejectAsync(id, body.Comment, context.User.ActorName(), ct), id, requests, ct);

    private static async Task<IResult> DecidedAsync(AccessDecision decision, Guid id, AccessRequests requests, CancellationToken ct)
    {
        if (decision.NotFound)
        {
            return NotFound(id);
        }

        if (decision.Problem is { } problem)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = decision.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest,
                Title = "The request was not decided.",
                Detail = decision.Errors.Count == 0 ? problem : $"{problem} {string.Join(" ", decision.Errors.Select(e => e.Message))}",
                Extensions = { ["errors"] = decision.Errors },
            });
        }

        return TypedResults.Ok(await ViewAsync(decision.Request!, requests, ct));
    }

    /// <summary>Approvers (admins, automation, approver groups) see every request; other members their own.</summary>
    private static bool MaySeeAll(System.Security.Claims.ClaimsPrincipal user, PortalAccessOptions access) =>
        access.IsInvitationAdmin(user) || access.IsApproverGroupMember(user);

    private static async Task<AccessRequestView> ViewAsync(AccessRequest request, AccessRequests requests, CancellationToken ct)
    {
        var outcomes = await requests.OutcomesAsync(request, ct);
        return new AccessRequestView(
            request.Id, request.Status.ToString(), request.RequestedBy, request.RequestedAt, request.Justification, request.DecidedBy,
            request.DecidedAt, request.DecisionComment, request.BatchId,
            [.. request.Partners.OrderBy(p => p.Position).Select(p => new AccessRequestPartnerView(
                p.Position, p.Email, p.DisplayName, p.Company, p.Language, IdList.Text(p.GroupIds), IdList.Text(p.AppIds),
                outcomes.TryGetValue(p.Position, out var invitation) ? invitation.Status.ToString() : null, p.Decision.ToString().ToLowerInvariant()))]);
    }

    private const string NotValid = "The access request is not valid.";

    private static IResult NotFound(Guid id) =>
        TypedResults.Problem(detail: $"There is no access request {id} that you may see.", statusCode: StatusCodes.Status404NotFound);
}
