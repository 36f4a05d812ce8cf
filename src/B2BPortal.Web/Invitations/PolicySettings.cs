namespace B2BPortal.Web.Invitations;

/// <summary>
/// The policy in force: configuration (<c>Portal:Policy</c>) overlaid with what a Global Administrator set on
/// Settings › Domain policy, plus the tenant's own verified domains.
/// </summary>
public sealed class EffectivePolicy
{
    public EffectivePolicy(PortalPolicyOptions options, PolicySetting? stored, IReadOnlyList<string> verifiedDomains)
    {
        Options = options;
        Stored = stored;
        VerifiedDomains = verifiedDomains;
        Domains = DomainPolicy.From(options, verifiedDomains, stored);
        Redirects = RedirectUrlPolicy.From(options);
    }

    public PortalPolicyOptions Options { get; }

    /// <summary>What the settings page stored, or null when configuration alone applies.</summary>
    public PolicySetting? Stored { get; }

    public IReadOnlyList<string> VerifiedDomains { get; }

    public DomainPolicy Domains { get; }

    /// <summary>The same policy, also refusing the tenant's own verified domains.</summary>
    public EffectivePolicy WithVerifiedDomains(IReadOnlyList<string> domains) => new(Options, Stored, domains);

    public RedirectUrlPolicy Redirects { get; }
}

/// <summary>
/// Reads the policy in force for uploads, requests and the dispatcher's check just before sending. Cached for a few
/// seconds (the dispatcher asks per row); a change on the settings page clears this instance's copy at once, other
/// instances see it within <see cref="CacheFor"/>. The tenant's verified domains are added for uploads and requests
/// only: at send time Graph itself refuses them (a 400 the batch page explains), and the worker makes no extra read.
/// </summary>
public sealed class PolicySource(
    IDbContextFactory<PortalDbContext> dbFactory, IOptions<PortalPolicyOptions> configured, TenantDomains tenantDomains, TimeProvider time)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    // A reference swapped whole: workers read it concurrently, and a two-field struct could be read half-written.
    private volatile Cached<EffectivePolicy>? _cached;

    /// <summary>The policy for an upload or request: with the tenant's verified domains.</summary>
    public async Task<EffectivePolicy> ForUploadAsync(CancellationToken ct) =>
        (await CurrentAsync(ct)).WithVerifiedDomains(await tenantDomains.VerifiedAsync(ct));

    /// <summary>Configuration and the settings page (without the verified domains).</summary>
    public async Task<EffectivePolicy> CurrentAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_cached is { } cached && now - cached.At < CacheFor)
        {
            return cached.Value;
        }

        PolicySetting? stored;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            stored = await db.PolicySettings.AsNoTracking().FirstOrDefaultAsync(p => p.Id == PolicySetting.SingletonId, ct);
        }

        var policy = new EffectivePolicy(Merge(configured.Value, stored), stored, []);
        _cached = new Cached<EffectivePolicy>(policy, now);
        return policy;
    }

    public void Invalidate() => _cached = null;

    /// <summary>Each part the settings page set replaces configuration's; the rest stays as configured.</summary>
    public static PortalPolicyOptions Merge(PortalPolicyOptions configured, PolicySetting? stored)
    {
        ArgumentNullException.ThrowIfNull(configured);
        if (stored is null)
        {
            return configured;
        }

        return new PortalPolicyOptions
        {
            AllowHttpRedirects = configured.AllowHttpRedirects,
            ConsumerDomains = Enum.TryParse<ConsumerDomainRule>(stored.ConsumerDomains, out var rule) ? rule : configured.ConsumerDomains,
            ConsumerDomainList = stored.ConsumerDomainList is null ? configured.ConsumerDomainList : Lines(stored.ConsumerDomainList),
            AllowedDomains = stored.AllowedDomains is null ? configured.AllowedDomains : Lines(stored.AllowedDomains),
            BlockedDomains = stored.BlockedDomains is null ? configured.BlockedDomains : Lines(stored.BlockedDomains),
            RedirectHosts = stored.RedirectHosts is null ? configured.RedirectHosts : Lines(stored.RedirectHosts),
        };
    }

    /// <summary>A list as typed: one entry per line (commas, semicolons and spaces also separate), blanks dropped.</summary>
    public static List<string> Lines(string text) =>
        [.. (text ?? string.Empty).Split(['\n', '\r', ',', ';', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}

/// <summary>
/// The tenant's verified domains, read from Graph (<c>GET /organization</c>) once an hour. Unreadable (no
/// Organization.Read.All consent, Graph down) means unchecked here: Graph itself refuses such an invitation, with a
/// message the batch page explains.
/// </summary>
public sealed class TenantDomains(GraphGateway graph, TimeProvider time, ILogger<TenantDomains> logger)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromHours(1);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(1);

    private volatile Cached<IReadOnlyList<string>>? _cached;

    public async Task<IReadOnlyList<string>> VerifiedAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_cached is { } cached && now < cached.At)
        {
            return cached.Value;
        }

        var (domains, failure) = await graph.GetVerifiedDomainsAsync(ct);
        if (failure is not null)
        {
            logger.VerifiedDomainsUnreadable(failure.GetType().Name);
        }

        _cached = new Cached<IReadOnlyList<string>>(domains, now + (failure is null ? CacheFor : RetryAfterFailure));
        return domains;
    }
}

/// <summary>A cached value and its time (when read, or until when it holds).</summary>
internal sealed record Cached<T>(T Value, DateTimeOffset At);

/// <summary>What a Global Administrator typed on Settings › Domain policy.</summary>
public sealed record PolicyChange(
    ConsumerDomainRule ConsumerDomains, string? ConsumerDomainList, string? AllowedDomains, string? BlockedDomains, string? RedirectHosts);

/// <summary>Saves or clears the settings page's policy, audited; the next upload, request and send apply it.</summary>
public sealed class PolicySettings(PortalDbContext db, PolicySource source, IOptions<PortalPolicyOptions> configured, TimeProvider time)
{
    public const string SettingsPath = "Settings › Domain policy";
    public const string ChangedAction = "PolicyChanged";

    /// <summary>Each list's limit: the policy is read for every upload and send, and a list this long is a mistake.</summary>
    public const int MaxEntries = 1000;

    /// <summary>Problems that name the field, line and fix; an empty list when saved.</summary>
    public async Task<IReadOnlyList<string>> SaveAsync(PolicyChange change, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        var problems = new List<string>();
        var consumerList = Checked("Personal mail domains", change.ConsumerDomainList, wildcards: true, problems);
        var allowed = Checked("Allowed partner domains", change.AllowedDomains, wildcards: true, problems);
        var blocked = Checked("Blocked domains", change.BlockedDomains, wildcards: true, problems);
        var redirects = Checked("Redirect hosts", change.RedirectHosts, wildcards: true, problems);
        if (consumerList.Count == 0 && change.ConsumerDomains == ConsumerDomainRule.Deny)
        {
            problems.Add("Personal mail domains: the list is empty, so refusing personal addresses would refuse none — list the domains (outlook.com, gmail.com, …).");
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        var before = PolicySource.Merge(configured.Value, await db.PolicySettings.AsNoTracking().FirstOrDefaultAsync(p => p.Id == PolicySetting.SingletonId, ct));
        var row = await db.PolicySettings.FirstOrDefaultAsync(p => p.Id == PolicySetting.SingletonId, ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (row is null)
        {
            row = new PolicySetting { UpdatedBy = actor };
            db.PolicySettings.Add(row);
        }

        row.ConsumerDomains = change.ConsumerDomains.ToString();
        row.ConsumerDomainList = string.Join('\n', consumerList);
        row.AllowedDomains = string.Join('\n', allowed);
        row.BlockedDomains = string.Join('\n', blocked);
        row.RedirectHosts = string.Join('\n', redirects);
        row.UpdatedBy = actor;
        row.UpdatedAt = now;
        var after = PolicySource.Merge(configured.Value, row);
        db.Audit(now, actor, ChangedAction, Describe(before, after));
        await db.SaveChangesAsync(ct);
        source.Invalidate();
        return [];
    }

    /// <summary>Back to configuration alone; false when nothing was set here.</summary>
    public async Task<bool> ResetAsync(string actor, CancellationToken ct)
    {
        var row = await db.PolicySettings.FirstOrDefaultAsync(p => p.Id == PolicySetting.SingletonId, ct);
        if (row is null)
        {
            return false;
        }

        var before = PolicySource.Merge(configured.Value, row);
        db.PolicySettings.Remove(row);
        db.Audit(time.GetUtcNow().UtcDateTime, actor, ChangedAction, "Back to configuration (Portal:Policy): " + Describe(before, configured.Value));
        await db.SaveChangesAsync(ct);
        source.Invalidate();
        return true;
    }

    private static List<string> Checked(string field, string? text, bool wildcards, List<string> problems)
    {
        var entries = PolicySource.Lines(text ?? string.Empty);
        if (entries.Count > MaxEntries)
        {
            problems.Add($"{field}: {entries.Count:N0} entries; at most {MaxEntries:N0} fit — use *.example.com for a domain's subdomains.");
            return [];
        }

        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i].ToLowerInvariant();
            entries[i] = entry;
            if (!IsDomainEntry(entry, wildcards))
            {
                problems.Add($"{field}, entry {i + 1}: '{Shown(entries[i])}' is not a domain — write it as contoso.com or *.contoso.com, without scheme, address or path.");
            }
        }

        return [.. entries.Distinct(StringComparer.Ordinal)];
    }

    private static string Shown(string value) => value.Length > 60 ? value[..60] + "…" : value;

    /// <summary>A domain as the settings pages take it: a DNS name with a dot, at most 253 characters, or <c>*.name</c> where wildcards are allowed.</summary>
    internal static bool IsDomainEntry(string entry, bool wildcards = true)
    {
        var name = wildcards && entry.StartsWith("*.", StringComparison.Ordinal) ? entry[2..] : entry;
        return entry.Length is > 0 and <= 253 && Uri.CheckHostName(name) == UriHostNameType.Dns && name.Contains('.', StringComparison.Ordinal);
    }

    /// <summary>The parts that changed, in words, for the audit log (domains are not personal data).</summary>
    internal static string Describe(PortalPolicyOptions before, PortalPolicyOptions after)
    {
        var parts = new List<string>();
        if (before.ConsumerDomains != after.ConsumerDomains)
        {
            parts.Add($"personal addresses {after.ConsumerDomains} (was {before.ConsumerDomains})");
        }

        void List(string name, IEnumerable<string> was, IEnumerable<string> now)
        {
            var old = was.ToHashSet(StringComparer.OrdinalIgnoreCase);
            var added = now.Where(d => !old.Contains(d)).ToList();
            var removed = old.Where(d => !now.Contains(d, StringComparer.OrdinalIgnoreCase)).ToList();
            if (added.Count > 0 || removed.Count > 0)
            {
                parts.Add($"{name}: " + string.Join(", ", added.Select(d => "+" + d).Concat(removed.Select(d => "-" + d))));
            }
        }

        List("personal mail domains", before.EffectiveConsumerDomains, after.EffectiveConsumerDomains);
        List("allowed partner domains", before.AllowedDomains, after.AllowedDomains);
        List("blocked domains", before.BlockedDomains, after.BlockedDomains);
        List("redirect hosts", before.RedirectHosts, after.RedirectHosts);
        var text = parts.Count == 0 ? "no change" : string.Join("; ", parts);
        return text.Length > FieldLengths.AuditDetail ? text[..(FieldLengths.AuditDetail - 1)] + "…" : text;
    }
}
