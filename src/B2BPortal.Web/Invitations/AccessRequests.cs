using System.Security.Claims;

namespace B2BPortal.Web.Invitations;

/// <summary>One partner as a requester enters it (the form, the API): groups and apps by ID, space-separated.</summary>
public sealed record RequestedPartner(string? Email, string? DisplayName, string? Company, string? Language, string? GroupIds, string? AppIds);

/// <summary>Who asks: the signed-in member (their object ID becomes the guests' sponsor), or an automation client (no sponsor).</summary>
public sealed record Requester(string Name, string? ObjectId, string? DisplayName)
{
    public static Requester Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var person = BatchSender.From(user);
        return new Requester(user.ActorName(), person?.ObjectId, user.FindFirstValue("name"));
    }
}

/// <summary>What deciding came to: the request as it is now, or why nothing changed (and the rows' reasons, if any).</summary>
public sealed record AccessDecision(AccessRequest? Request, string? Problem, IReadOnlyList<RowError> Errors, bool NotFound = false, bool Conflict = false);

/// <summary>
/// Access requests with approval (issue 13): a member asks for partners to be invited; an approver approves — the partners
/// become a batch submitted by the approver on the upload pipeline (same row checks, sent as the approver, the requester as
/// each guest's sponsor) — or rejects with a comment. Every step goes to the audit log.
/// </summary>
public sealed class AccessRequests(
    PortalDbContext db, InvitationRows invitationRows, BatchStore store, GuestInvitePolicy invitePolicy, TimeProvider time, PendingRequestCount waiting)
{
    public const string RequestedAction = "AccessRequested";
    public const string ApprovedAction = "AccessApproved";
    public const string RejectedAction = "AccessRejected";
    public const string AutoApprovedAction = "AccessAutoApproved";
    public const string AutoApproveSkippedAction = "AutoApproveSkipped";

    /// <summary>Who decides a request for partners at pre-approved domains (the audit log's actor and the request's decider).</summary>
    public const string AutoApprover = "system (pre-approved domain)";

    /// <summary>Partners in one request (a longer list is an upload for an admin).</summary>
    public const int MaxPartners = 50;

    /// <summary>
    /// A request made by uploading a list: the 2016 or Entra file an admin would upload, up to <see cref="MaxPartners"/> rows.
    /// Each row's address, name, language, groups and apps become a partner, checked as on the form; the file's other columns
    /// (redirect URL, message, contact link) are the approver's to decide and are not taken over.
    /// </summary>
    public async Task<(AccessRequest? Request, IReadOnlyList<RowError> Errors)> CreateFromFileAsync(
        Requester requester, string? justification, Stream content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        List<InvitationRow> rows;
        try
        {
            using var file = InvitationFileReader.Open(content, new InvitationFileOptions(MaxPartners, ContactUsOptional: true));
            rows = [.. file.ReadRows()];
        }
        catch (InvitationFileRejectedException rejected)
        {
            var detail = rejected.Detail.StartsWith("The file has more than", StringComparison.Ordinal)
                ? $"The file has more than {MaxPartners} partners; a request names at most {MaxPartners}. Split it into several requests, or ask an administrator to upload the list."
                : rejected.Detail;
            return (null, [new RowError("File", detail)]);
        }

        var partners = rows.Select(r => new RequestedPartner(r.Email, r.DisplayName, null, r.Language, r.GroupIds, r.AppIds)).ToList();
        return await CreateAsync(requester, justification, partners, ct, [.. rows.Select(r => r.RowNumber)]);
    }

    /// <param name="rowNumbers">For partners read from a file: their rows, which the refusals then name ("Row 3, …").</param>
    public async Task<(AccessRequest? Request, IReadOnlyList<RowError> Errors)> CreateAsync(
        Requester requester, string? justification, IReadOnlyList<RequestedPartner> partners, CancellationToken ct, IReadOnlyList<int>? rowNumbers = null)
    {
        ArgumentNullException.ThrowIfNull(requester);
        ArgumentNullException.ThrowIfNull(partners);
        var errors = new List<RowError>();
        var reason = justification?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            errors.Add(new RowError("Justification", "Justification: say why the partners need access; the approver decides on it."));
        }
        else if (reason.Length > FieldLengths.CustomMessage)
        {
            errors.Add(new RowError("Justification", $"Justification: at most {FieldLengths.CustomMessage:N0} characters (this one has {reason.Length:N0})."));
        }
        else if (HasControlCharacter(reason))
        {
            errors.Add(new RowError("Justification", "Justification: remove the control characters (only line breaks and tabs are kept)."));
        }

        if (partners.Count == 0)
        {
            errors.Add(new RowError("Email", "Name at least one partner: their email address and name."));
        }
        else if (partners.Count > MaxPartners)
        {
            errors.Add(new RowError("Email", $"A request names at most {MaxPartners} partners (this one {partners.Count}); ask an administrator to upload a longer list."));
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < partners.Count && partners.Count <= MaxPartners; i++)
        {
            var partner = partners[i];
            var prefix = rowNumbers is not null ? $"Row {rowNumbers[i]}, " : partners.Count == 1 ? "" : $"Partner {i + 1}, ";
            foreach (var error in await invitationRows.CheckAsync(Row(i + 1, partner), ct))
            {
                errors.Add(error with { Message = prefix + error.Message });
            }

            var company = partner.Company?.Trim();
            if (company is { Length: > FieldLengths.DisplayName } || company?.Any(char.IsControl) == true)
            {
                errors.Add(new RowError("Company", $"{prefix}Company: at most {FieldLengths.DisplayName} characters, without control characters."));
            }

            if (partner.Email?.Trim() is { Length: > 0 } email && !seen.Add(email))
            {
                errors.Add(new RowError("Email", $"{prefix}Email: '{email}' is named twice in this request; name each partner once."));
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var request = new AccessRequest
        {
            Id = Guid.CreateVersion7(),
            RequestedBy = requester.Name,
            RequesterObjectId = requester.ObjectId,
            RequesterName = Cut(requester.DisplayName, FieldLengths.DisplayName),
            Justification = reason!,
            Status = AccessRequestStatus.Pending,
            RequestedAt = now,
            Partners = [.. partners.Select((p, i) => new AccessRequestPartner
            {
                Position = i + 1,
                Email = p.Email!.Trim(),
                DisplayName = p.DisplayName!.Trim(),
                Company = Blank(p.Company),
                Language = Blank(p.Language),
                GroupIds = IdList.Parse(p.GroupIds),
                AppIds = IdList.Parse(p.AppIds),
            })],
        };
        db.AccessRequests.Add(request);
        db.Audit(now, requester.Name, RequestedAction, $"Access request {request.Id}: {Plural.Of(request.Partners.Count, "partner")} ({Domains(request)})");
        await db.SaveChangesAsync(ct);
        waiting.Forget();
        return (await AutoApproveAsync(request, ct) ?? request, []);
    }

    /// <summary>
    /// A request whose partners are all at pre-approved domains, asking for no group or app beyond their entry's, is sent at
    /// once as the portal's application with each entry's redirect URL, groups, apps and message. Anything else — or a
    /// tenant that refuses app-only invitations, or a row the checks refuse now — leaves it waiting for an approver.
    /// </summary>
    private async Task<AccessRequest?> AutoApproveAsync(AccessRequest request, CancellationToken ct)
    {
        var entries = await db.PreapprovedDomains.AsNoTracking().ToListAsync(ct);
        if (entries.Count == 0)
        {
            return null;
        }

        var matches = request.Partners.OrderBy(p => p.Position).Select(p => (Partner: p, Entry: PreapprovedDomains.For(entries, p.Email))).ToList();
        if (matches.Any(m => m.Entry is null || !IdList.Within(m.Partner.GroupIds, m.Entry.GroupIds) || !IdList.Within(m.Partner.AppIds, m.Entry.AppIds)))
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var domains = string.Join(", ", matches.Select(m => m.Entry!.Domain).Distinct());
        var note = $"Approved automatically: the partners are at pre-approved domains ({domains}).";
        if (!await TryClaimDecisionAsync(request.Id, AccessRequestStatus.Approved, AutoApprover, now, note, ct))
        {
            return null;
        }

        var rows = matches.Select(m => new InvitationRow(
            m.Partner.Position, m.Partner.Email, m.Partner.DisplayName, null, null, IdList.Text(m.Entry!.AppIds), IdList.Text(m.Entry.GroupIds), m.Entry.RedirectUrl,
            m.Partner.Language, "true", m.Entry.Message)).ToList();
        string? refused;
        try
        {
            var (batch, errors) = await StoreApprovedAsync(rows, request.RequesterObjectId, AutoApprover, sender: null, ct);
            refused = errors.Count == 0 ? null : string.Join(" ", errors.Select(e => e.Message));
            if (refused is null)
            {
                await db.AccessRequests.Where(r => r.Id == request.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.BatchId, batch.Id), ct);
                await DecidePartnersAsync(request.Id, [.. matches.Select(m => m.Partner.Position)], ct);
                db.Audit(now, AutoApprover, AutoApprovedAction, $"Access request {request.Id} from {request.RequestedBy}: {Plural.Of(rows.Count, "invitation")} sent as the portal's application ({domains} pre-approved)", batch.Id);
                await db.SaveChangesAsync(ct);
                return await FindAsync(request.Id, ct);
            }
        }
        catch (SubmissionRefusedException e)
        {
            refused = e.Message;
        }
        catch (Exception e) when (e is OperationCanceledException or DbUpdateException)
        {
            // As for an approver's approval: the request goes back to waiting, and the failure surfaces.
            await UndoClaimAsync(request.Id, CancellationToken.None);
            throw;
        }

        await UndoClaimAsync(request.Id, CancellationToken.None);
        db.Audit(now, AutoApprover, AutoApproveSkippedAction, Cut($"Access request {request.Id} waits for an approver although {domains} is pre-approved: {refused}", FieldLengths.AuditDetail));
        await db.SaveChangesAsync(CancellationToken.None);
        return null;
    }

    /// <summary>The requester's own requests, newest first (a member sees nothing else).</summary>
    public async Task<IReadOnlyList<AccessRequest>> MineAsync(Requester requester, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requester);
        var query = db.AccessRequests.AsNoTracking().Include(r => r.Partners);
        var mine = requester.ObjectId is { } objectId
            ? query.Where(r => r.RequesterObjectId == objectId)
            : query.Where(r => r.RequesterObjectId == null && r.RequestedBy == requester.Name);
        return await mine.OrderByDescending(r => r.RequestedAt).Take(200).ToListAsync(ct);
    }

    /// <summary>Whether <paramref name="requester"/> made this request (what a member may open).</summary>
    public static bool IsOwn(AccessRequest request, Requester requester)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(requester);
        return requester.ObjectId is { } objectId
            ? string.Equals(request.RequesterObjectId, objectId, StringComparison.OrdinalIgnoreCase)
            : request.RequesterObjectId is null && request.RequestedBy == requester.Name;
    }

    /// <summary>Requests by status (all when null), pending ones oldest first (a queue), decided ones newest first.</summary>
    public async Task<IReadOnlyList<AccessRequest>> ListAsync(AccessRequestStatus? status, int take, CancellationToken ct)
    {
        var query = db.AccessRequests.AsNoTracking().Include(r => r.Partners).AsQueryable();
        if (status is { } s)
        {
            query = query.Where(r => r.Status == s);
        }

        query = status == AccessRequestStatus.Pending ? query.OrderBy(r => r.RequestedAt) : query.OrderByDescending(r => r.RequestedAt);
        return await query.Take(take).ToListAsync(ct);
    }

    public Task<AccessRequest?> FindAsync(Guid id, CancellationToken ct) =>
        db.AccessRequests.AsNoTracking().Include(r => r.Partners).FirstOrDefaultAsync(r => r.Id == id, ct);

    /// <summary>How each partner's invitation stands once approved (by row number = position); empty before.</summary>
    public async Task<IReadOnlyDictionary<int, Invitation>> OutcomesAsync(AccessRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.BatchId is not { } batchId)
        {
            return new Dictionary<int, Invitation>();
        }

        return await db.Invitations.AsNoTracking().Where(i => i.BatchId == batchId).ToDictionaryAsync(i => i.RowNumber, ct);
    }

    /// <summary>
    /// Approves a pending request: its partners are checked again as rows (policy and list as they are now) and become one
    /// batch submitted by the approver — sent as them when <paramref name="sender"/> is a signed-in admin, app-only for
    /// automation — with the requester as each guest's sponsor. A row refused now leaves the request pending with the reasons.
    /// </summary>
    /// <param name="positions">The partners to approve (their positions); null approves all. The others are rejected, and then
    /// the comment is required: the requester reads why.</param>
    public async Task<AccessDecision> ApproveAsync(
        Guid id, string? comment, string actor, BatchSender? sender, CancellationToken ct, IReadOnlyCollection<int>? positions = null)
    {
        var note = Blank(comment);
        if (note is { Length: > FieldLengths.CustomMessage } || note is not null && HasControlCharacter(note))
        {
            return new AccessDecision(null, CommentProblem(note!), []);
        }

        if (positions is { Count: 0 })
        {
            return new AccessDecision(null, "Tick at least one partner to approve, or reject the request.", []);
        }

        var pending = await FindAsync(id, ct);
        if (pending is null)
        {
            return new AccessDecision(null, $"There is no access request {id}.", [], NotFound: true);
        }

        HashSet<int> approve = positions is null ? [.. pending.Partners.Select(p => p.Position)] : [.. positions];
        if (approve.Where(p => pending.Partners.All(partner => partner.Position != p)).Select(p => (int?)p).FirstOrDefault() is { } unknown)
        {
            return new AccessDecision(null, $"This request has no partner {unknown}; its partners are 1 to {pending.Partners.Count}.", []);
        }

        var partial = approve.Count < pending.Partners.Count;
        if (partial && note is null && pending.Status == AccessRequestStatus.Pending)
        {
            return new AccessDecision(null, "Write a comment saying why the partners you did not tick are not invited; the requester reads it.", []);
        }

        var now = time.GetUtcNow().UtcDateTime;
        // Claim the decision first (only one approver wins, and nothing is sent twice), then import.
        var claim = await ClaimDecisionAsync(id, AccessRequestStatus.Approved, actor, now, note, ct);
        if (claim.Request is not { } request)
        {
            return claim.Refusal!;
        }

        Batch batch;
        IReadOnlyList<RowError> errors;
        try
        {
            var rows = request.Partners.Where(p => approve.Contains(p.Position)).OrderBy(p => p.Position).Select(p => Row(p.Position, p)).ToList();
            (batch, errors) = await StoreApprovedAsync(rows, request.RequesterObjectId, actor, sender, ct);
        }
        catch (Exception e) when (e is SubmissionRefusedException or OperationCanceledException or DbUpdateException)
        {
            await UndoClaimAsync(id, CancellationToken.None);
            if (e is SubmissionRefusedException refused)
            {
                return new AccessDecision(await FindAsync(id, CancellationToken.None), refused.Message, [], Conflict: true);
            }

            throw;
        }

        if (errors.Count > 0)
        {
            await UndoClaimAsync(id, ct);
            return new AccessDecision(await FindAsync(id, ct), "Nothing was sent: the request does not pass the portal's checks now. Reject it with the reason, or fix the policy or the assignable list.", errors, Conflict: true);
        }

        await db.AccessRequests.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.BatchId, batch.Id), ct);
        await DecidePartnersAsync(id, approve, ct);
        db.Audit(now, actor, ApprovedAction, Cut($"Access request {id} from {request.RequestedBy}: {Plural.Of(approve.Count, "invitation")} sent as {batch.SentAs ?? "the portal's application"}" + (partial ? $", {request.Partners.Count - approve.Count} of {Plural.Of(request.Partners.Count, "partner")} rejected" : "") + (note is null ? "" : $" — {note}"), FieldLengths.AuditDetail), batch.Id);
        await db.SaveChangesAsync(ct);
        return new AccessDecision(await FindAsync(id, ct), null, []);
    }

    /// <summary>
    /// Records the decision on the request if it is still pending, in one conditional update: one approver wins. The
    /// request as decided, or (Request null) the answer for a request that does not exist or was decided already.
    /// </summary>
    private async Task<(AccessRequest? Request, AccessDecision? Refusal)> ClaimDecisionAsync(
        Guid id, AccessRequestStatus decision, string actor, DateTime now, string? note, CancellationToken ct)
    {
        var claimed = await TryClaimDecisionAsync(id, decision, actor, now, note, ct);
        var request = await FindAsync(id, ct);
        if (request is null)
        {
            return (null, new AccessDecision(null, $"There is no access request {id}.", [], NotFound: true));
        }

        return !claimed
            ? (null, new AccessDecision(request, $"This request was already {request.Status.ToString().ToLowerInvariant()} by {request.DecidedBy}.", [], Conflict: true))
            : (request, null);
    }

    /// <summary>
    /// The one conditional update that decides a request (an approver's approval or rejection, the automatic approval):
    /// true when this call decided it, false when it was not pending any more.
    /// </summary>
    private async Task<bool> TryClaimDecisionAsync(Guid id, AccessRequestStatus decision, string actor, DateTime now, string? note, CancellationToken ct)
    {
        var claimed = await db.AccessRequests.Where(r => r.Id == id && r.Status == AccessRequestStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, decision).SetProperty(r => r.DecidedBy, actor)
                .SetProperty(r => r.DecidedAt, now).SetProperty(r => r.DecisionComment, note), ct);
        waiting.Forget();
        return claimed > 0;
    }

    /// <summary>Rejects a pending request with a comment (required: the requester reads why). Nothing is sent.</summary>
    public async Task<AccessDecision> RejectAsync(Guid id, string? comment, string actor, CancellationToken ct)
    {
        var note = Blank(comment);
        if (note is null || note.Length > FieldLengths.CustomMessage || HasControlCharacter(note))
        {
            return new AccessDecision(null, note is null ? "Write a comment saying why the request is rejected; the requester reads it." : CommentProblem(note), []);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var claim = await ClaimDecisionAsync(id, AccessRequestStatus.Rejected, actor, now, note, ct);
        if (claim.Request is not { } request)
        {
            return claim.Refusal!;
        }

        await DecidePartnersAsync(id, [], ct);
        request = await FindAsync(id, ct) ?? request;

        db.Audit(now, actor, RejectedAction, Cut($"Access request {id} from {request.RequestedBy} ({Domains(request)}) — {note}", FieldLengths.AuditDetail));
        await db.SaveChangesAsync(ct);
        return new AccessDecision(request, null, []);
    }

    /// <summary>
    /// The approved partners validated again like rows (the domain policy and the assignable list as they are now, an
    /// address invited since), then stored as one batch submitted by the approver, each row with the requester as
    /// sponsor. All or nothing: when a row is refused nothing is stored and the errors say why.
    /// </summary>
    /// <exception cref="SubmissionRefusedException">Sent as the application, which the tenant would refuse; nothing was stored.</exception>
    private async Task<(Batch Batch, IReadOnlyList<RowError> Errors)> StoreApprovedAsync(
        IReadOnlyList<InvitationRow> rows, string? sponsorId, string actor, BatchSender? sender, CancellationToken ct)
    {
        var batch = store.New("Access request", BatchFormat.Request, actor, email: null, sender);
        // Each partner was entered like a single invitation (no contact-us link is asked for): checked again by the same rules.
        var invitations = await invitationRows.ListedAsync(rows, batch.Id, batch.UploadedAt, ct, RowRules.SingleInvitation);
        var errors = invitations.SelectMany(i => i.Errors.Select(e => rows.Count == 1 ? e : e with { Message = $"Partner {i.RowNumber}, {e.Message}" })).ToList();
        if (errors.Count > 0)
        {
            return (batch, errors);
        }

        if (sender is null)
        {
            await invitePolicy.EnsureAppOnlyMayInviteAsync(ct);
        }

        foreach (var invitation in invitations)
        {
            invitation.SponsorId = sponsorId;
        }

        batch.Sha256 = BatchStore.Sha256Of(rows);
        await store.StoreAsync(batch, invitations, actor, submit: true, ct);
        return (batch, []);
    }

    /// <summary>Each partner's decision: approved when its position is in <paramref name="approved"/>, rejected otherwise.</summary>
    private async Task DecidePartnersAsync(Guid id, IReadOnlyCollection<int> approved, CancellationToken ct)
    {
        var list = approved.ToList();
        await db.AccessRequestPartners.Where(p => p.AccessRequestId == id && list.Contains(p.Position))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Decision, AccessRequestStatus.Approved), ct);
        await db.AccessRequestPartners.Where(p => p.AccessRequestId == id && !list.Contains(p.Position))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Decision, AccessRequestStatus.Rejected), ct);
    }

    private static string CommentProblem(string note) => note.Length > FieldLengths.CustomMessage
        ? $"The comment is longer than {FieldLengths.CustomMessage:N0} characters."
        : "Remove the control characters from the comment (only line breaks and tabs are kept).";

    /// <summary>Control characters other than line breaks and tabs (a NUL would not even be stored by PostgreSQL).</summary>
    private static bool HasControlCharacter(string text) => text.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t'));

    private async Task<int> UndoClaimAsync(Guid id, CancellationToken ct)
    {
        var undone = await db.AccessRequests.Where(r => r.Id == id && r.Status == AccessRequestStatus.Approved && r.BatchId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, AccessRequestStatus.Pending).SetProperty(r => r.DecidedBy, (string?)null)
                .SetProperty(r => r.DecidedAt, (DateTime?)null).SetProperty(r => r.DecisionComment, (string?)null), ct);
        waiting.Forget();
        return undone;
    }

    /// <summary>A partner as a row of a single invitation: Microsoft's email, the default redirect, the partner's language.</summary>
    private static InvitationRow Row(int number, RequestedPartner p) =>
        new(number, Blank(p.Email), Blank(p.DisplayName), null, null, Ids(p.AppIds), Ids(p.GroupIds), null, Blank(p.Language), "true", null);

    /// <summary>A stored partner checked again as a row: its lists as the cells a row's validation reads.</summary>
    private static InvitationRow Row(int number, AccessRequestPartner p) =>
        Row(number, new RequestedPartner(p.Email, p.DisplayName, p.Company, p.Language, IdList.Text(p.GroupIds), IdList.Text(p.AppIds)));

    /// <summary>The partners' domains (the audit log carries no addresses or names).</summary>
    private static string Domains(AccessRequest request) =>
        string.Join(", ", request.Partners.Select(p => p.Email[(p.Email.LastIndexOf('@') + 1)..].ToLowerInvariant()).Distinct());

    /// <summary>Typed IDs as one cell ("id1 id2"): the separators people use reduced to spaces, each ID once.</summary>
    private static string? Ids(string? ids) => IdList.Text(IdList.Parse(ids));

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Cut(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
