namespace B2BPortal.Web.Api;

/// <summary>
/// Access requests in API v1 (issue 13), the operations of the pages: any member of the tenant (cookie) or an automation
/// client creates requests and lists them (a member sees their own only); approvers (admins, the app role, or the
/// configured approver groups) approve or reject.
/// </summary>
public static class AccessRequestsApi
{
    /// <summary>The operations of the group <see cref="ApiEndpoints.MapApiV1"/> maps at <c>/api/v1/access-requests</c>.</summary>
    internal static void Map(RouteGroupBuilder api)
    {
        api.MapPost("", CreateAsync)
            .Operation("CreateAccessRequest", "Ask for partners to be invited (waits for an approver).",
                "Any member of the tenant may ask; each partner is checked like a single invitation (address, language, " +
                "partner-domain policy, assignable groups and apps), and a refusal names the partner and the reason.")
            .Accepts<AccessRequestCreate>("application/json")
            .Produces<AccessRequestView>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status415UnsupportedMediaType);
        api.MapPost("/file", CreateFromFileAsync)
            .Operation("CreateAccessRequestFromFile", "Ask for the partners of a CSV file to be invited (waits for an approver).",
                "multipart/form-data with the CSV in `file` (the 2016 or Entra bulk-invite format, at most 50 rows) and the reason in " +
                "`justification`. Each row's address, name, language, groups and apps become a partner, checked like the JSON request; " +
                "refusals name the row.")
            .Accepts<AccessRequestFileForm>("multipart/form-data")
            .Produces<AccessRequestView>(StatusCodes.Status201Created)
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        api.MapGet("", ListAsync)
            .Operation("ListAccessRequests", "List access requests (a member: their own).",
                "Approvers and automation see every request, a member only their own; `status` filters (pending, approved, rejected). " +
                "Pending requests come oldest first, the others newest first; at most 200.")
            .Produces<IReadOnlyList<AccessRequestView>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/{id:guid}", GetAsync)
            .Operation("GetAccessRequest", "Read an access request and its partners' invitations.",
                "A member may read their own requests only (others are 404).")
            .Produces<AccessRequestView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id:guid}/approve", ApproveAsync)
            .RequireAuthorization(AuthenticationSetup.ApproverPolicy)
            .Operation("ApproveAccessRequest", "Approve a pending request: its partners are invited.",
                "`partners` (positions, optional) approves only those partners and rejects the others (then `comment` is required). " +
                "The approved partners become one batch submitted by the approver (sent as the signed-in admin; as the portal's application " +
                "for automation), checked again like rows; the requester becomes each guest's sponsor. 409 when the request was already " +
                "decided or a partner does not pass the checks now (the `errors` say why; the request stays pending).")
            .Accepts<AccessDecisionRequest>(isOptional: true, "application/json")
            .Produces<AccessRequestView>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);
        api.MapPost("/{id:guid}/reject", RejectAsync)
            .RequireAuthorization(AuthenticationSetup.ApproverPolicy)
            .Operation("RejectAccessRequest", "Reject a pending request with a comment.",
                "The comment is required: the requester reads it. Nothing is sent. 409 when the request was already decided.")
            .Accepts<AccessDecisionRequest>("application/json")
            .Produces<AccessRequestView>()
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);
    }

    private static async Task<IResult> CreateAsync(AccessRequestCreate body, AccessRequests requests, HttpContext context, CancellationToken ct)
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

    private static async Task<IResult> CreateFromFileAsync(HttpRequest http, AccessRequests requests, CancellationToken ct)
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

    private static async Task<IResult> ListAsync(
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

    private static async Task<IResult> GetAsync(Guid id, AccessRequests requests, HttpContext context, IOptionsMonitor<PortalAccessOptions> access, CancellationToken ct)
    {
        var request = await requests.FindAsync(id, ct);
        if (request is null || !MaySeeAll(context.User, access.CurrentValue) && !AccessRequests.IsOwn(request, Requester.Of(context.User)))
        {
            return NotFound(id);
        }

        return TypedResults.Ok(await ViewAsync(request, requests, ct));
    }

    private static async Task<IResult> ApproveAsync(
        Guid id, [FromBody] AccessDecisionRequest? body, AccessRequests requests, HttpContext context, CancellationToken ct) =>
        await DecidedAsync(await requests.ApproveAsync(id, body?.Comment, context.User.ActorName(), BatchSender.OfBrowser(context), ct, body?.Partners), id, requests, ct);

    private static async Task<IResult> RejectAsync(Guid id, AccessDecisionRequest body, AccessRequests requests, HttpContext context, CancellationToken ct) =>
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
