namespace B2BPortal.Web.Pages.Requests;

/// <summary>
/// Request access for a partner (issue 13): any member of the tenant, no admin role needed. The partner is checked like a
/// single invitation now (address, language, domain policy, assignable list) and again when an approver approves.
/// </summary>
[Authorize(Policy = AuthenticationSetup.RequesterPolicy)]
public sealed class NewModel(AccessRequests requests, AssignableTargets targets) : PageModel
{
    [BindProperty]
    public RequestInput Input { get; set; } = new(null, null, null, null, null, [], []);

    public IReadOnlyList<RowError> Errors { get; private set; } = [];

    public IReadOnlyList<AssignableTarget> Assignable { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Assignable = await targets.ListAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var partner = new RequestedPartner(
            Input.Email, Input.DisplayName, Input.Company, Input.Language, string.Join(' ', Input.Groups ?? []), string.Join(' ', Input.Apps ?? []));
        var (request, errors) = await requests.CreateAsync(Requester.Of(User), Input.Justification, [partner], ct);
        if (request is null)
        {
            Errors = errors;
            Assignable = await targets.ListAsync(ct);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Message = Sent(request);
        return RedirectToPage("/Requests/Index");
    }

    /// <summary>The request as a list: a CSV file in the 2016 or Entra format, one partner per row.</summary>
    public async Task<IActionResult> OnPostFileAsync(IFormFile? upload, string? fileJustification, CancellationToken ct)
    {
        FileJustification = fileJustification;
        if (upload is null || upload.Length == 0)
        {
            return await ProblemAsync([new RowError("File", "Choose the CSV file with your partners (the 2016 or the Entra bulk-invite format).")], ct);
        }

        await using var content = upload.OpenReadStream();
        var (request, errors) = await requests.CreateFromFileAsync(Requester.Of(User), fileJustification, content, ct);
        if (request is null)
        {
            return await ProblemAsync(errors, ct);
        }

        Message = Sent(request);
        return RedirectToPage("/Requests/Index");
    }

    /// <summary>The justification typed above the file, kept when the file is refused.</summary>
    public string? FileJustification { get; private set; }

    private async Task<IActionResult> ProblemAsync(IReadOnlyList<RowError> errors, CancellationToken ct)
    {
        Errors = errors;
        Assignable = await targets.ListAsync(ct);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    private static string Sent(AccessRequest request)
    {
        var who = request.Partners.Count == 1 ? $"{request.Partners[0].DisplayName} ({request.Partners[0].Email})" : Plural.Of(request.Partners.Count, "partner");
        return request.Status == AccessRequestStatus.Approved
            ? $"Your request for {who} was approved at once (a pre-approved partner domain): the invitations are on their way."
            : $"Your request for {who} is waiting for an approver.";
    }

    /// <summary>The form: one partner, the groups and apps ticked (none ticked: no list), and why.</summary>
    public sealed record RequestInput(
        string? Email, string? DisplayName, string? Company, string? Language, string? Justification, IReadOnlyList<string>? Groups, IReadOnlyList<string>? Apps);
}
