namespace B2BPortal.Web.Invitations;

/// <summary>What a Global Administrator typed to pre-approve a partner domain (no box ticked: no list).</summary>
public sealed record PreapprovedDomainInput(string? Domain, string? RedirectUrl, IReadOnlyList<string>? GroupIds, IReadOnlyList<string>? AppIds, string? Message);

/// <summary>
/// Pre-approved partner domains (issue 13): kept by Global Administrators on Settings › Pre-approved domains, audited. An
/// entry is checked like an invitation row when it is added (redirect URL, groups and apps on the assignable list, the
/// domain policy, the message), so what it later sends is what an upload could send.
/// </summary>
public sealed class PreapprovedDomains(PortalDbContext db, InvitationRows rows, TimeProvider time)
{
    public const string AddedAction = "PreapprovedAdded";
    public const string RemovedAction = "PreapprovedRemoved";

    public async Task<IReadOnlyList<PreapprovedDomain>> ListAsync(CancellationToken ct) =>
        await db.PreapprovedDomains.AsNoTracking().OrderBy(d => d.Domain).ToListAsync(ct);

    /// <summary>The entry whose domain an address is at (an exact entry before a wildcard), or null.</summary>
    public static PreapprovedDomain? For(IReadOnlyList<PreapprovedDomain> entries, string email)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(email);
        var domain = email[(email.LastIndexOf('@') + 1)..].Trim().ToLowerInvariant();
        return entries.FirstOrDefault(e => e.Domain == domain) ?? entries.FirstOrDefault(e => HostPattern.Matches(e.Domain, domain));
    }

    /// <summary>Adds an entry; the problems (each naming the field and the fix) when it cannot be added.</summary>
    public async Task<(PreapprovedDomain? Added, IReadOnlyList<string> Problems)> AddAsync(PreapprovedDomainInput input, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        var domain = input.Domain?.Trim().ToLowerInvariant() ?? string.Empty;
        var bare = domain.StartsWith("*.", StringComparison.Ordinal) ? domain[2..] : domain;
        if (!PolicySettings.IsDomainEntry(domain))
        {
            return (null, [$"Domain: '{Shown(input.Domain)}' is not a domain — write it as fabrikam.com, or *.fabrikam.com for its subdomains."]);
        }

        // The entry's invitation checked like a row to someone at the domain: the same sentences an upload gives.
        // The row is checked as cell text, the form a row's validation reads.
        var groups = string.Join(' ', (input.GroupIds ?? []).Where(id => !string.IsNullOrWhiteSpace(id)));
        var apps = string.Join(' ', (input.AppIds ?? []).Where(id => !string.IsNullOrWhiteSpace(id)));
        var sample = new InvitationRow(1, $"partner@{bare}", "Partner", null, null, Blank(apps), Blank(groups), Blank(input.RedirectUrl), null, "true", Blank(input.Message));
        var problems = (await rows.CheckAsync(sample, ct))
            .Where(e => e.Column != InvitationColumns.Email || !e.Message.Contains("already", StringComparison.OrdinalIgnoreCase))
            .Select(e => e.Column == InvitationColumns.Email ? $"Domain: {bare} {DomainClause(e.Message)}" : e.Message)
            .ToList();
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        if (await db.PreapprovedDomains.AnyAsync(d => d.Domain == domain, ct))
        {
            return (null, [$"Domain: {domain} is already pre-approved; remove its entry first to change it."]);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var entry = new PreapprovedDomain
        {
            Domain = domain,
            RedirectUrl = Blank(input.RedirectUrl),
            GroupIds = IdList.Parse(groups),
            AppIds = IdList.Parse(apps),
            Message = Blank(input.Message),
            AddedBy = actor,
            AddedAt = now,
        };
        db.PreapprovedDomains.Add(entry);
        db.Audit(now, actor, AddedAction, $"Requests for partners at {domain} are approved without an approver" + $" ({Count(entry.GroupIds, "group")}, {Count(entry.AppIds, "application")}{(entry.RedirectUrl is null ? "" : ", own redirect URL")}{(entry.Message is null ? "" : ", own message")})");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (!await db.PreapprovedDomains.AnyAsync(d => d.Domain == domain, ct))
            {
                throw;
            }

            return (null, [$"Domain: {domain} is already pre-approved; remove its entry first to change it."]);
        }

        return (entry, []);
    }

    /// <summary>Removes an entry; what happened, as the audit log records it and the settings page shows it.</summary>
    public Task<string> RemoveAsync(long id, string actor, CancellationToken ct) =>
        db.RemoveAuditedAsync<PreapprovedDomain>(
            id, time.GetUtcNow().UtcDateTime, actor, RemovedAction, entry => $"Requests for partners at {entry.Domain} wait for an approver again", ct);

    /// <summary>"Email: 'partner@x' is at x, a domain …" → "is at x, a domain …": the row's reason about the domain.</summary>
    private static string DomainClause(string message)
    {
        var quoteEnd = message.IndexOf("' ", StringComparison.Ordinal);
        return quoteEnd < 0 ? message : message[(quoteEnd + 2)..];
    }

    private static string Count(List<string>? ids, string what) => Plural.Of(ids?.Count ?? 0, what);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Shown(string? value) => value is null ? string.Empty : value.Length > 60 ? value[..60] + "…" : value;
}
