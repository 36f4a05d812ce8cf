namespace B2BPortal.Web.Invitations.Csv;

/// <summary>
/// Which partner domains this portal invites (<c>Portal:Policy</c>): blocked domains never, only the allowed domains
/// when that list is set, and personal (consumer) addresses only when allowed. Checked at upload, so a row outside the
/// policy is Invalid with the reason instead of being sent and refused later (or worse, sent), and again just before
/// sending (a policy tightened after the upload still holds). The tenant's own verified domains are never invited.
/// </summary>
public sealed class DomainPolicy(
    IReadOnlyList<string> allowed, IReadOnlyList<string> blocked, IReadOnlyList<string> consumer, bool denyConsumer, IReadOnlyList<string>? verified = null)
{
    private const string SettingsPage = "Settings › Domain policy";

    private readonly IReadOnlyList<string> _verified = verified ?? [];

    // Where each part was set, named in the refusal so the admin knows where to change it.
    private string _blockedSource = "Portal:Policy:BlockedDomains";
    private string _allowedSource = "Portal:Policy:AllowedDomains";
    private string _consumerSource = "Portal:Policy:ConsumerDomains=Deny";

    /// <param name="stored">What the settings page set, which takes precedence over configuration (named as the source).</param>
    public static DomainPolicy From(PortalPolicyOptions options, IReadOnlyList<string>? verifiedDomains = null, Data.PolicySetting? stored = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        static string[] Clean(IEnumerable<string> domains) => [.. domains.Select(d => d.Trim().ToLowerInvariant()).Where(d => d.Length > 0)];
        var policy = new DomainPolicy(Clean(options.AllowedDomains), Clean(options.BlockedDomains), Clean(options.EffectiveConsumerDomains),
            options.ConsumerDomains == ConsumerDomainRule.Deny, Clean(verifiedDomains ?? []));
        if (stored?.BlockedDomains is not null)
        {
            policy._blockedSource = $"{SettingsPage} › Blocked domains";
        }

        if (stored?.AllowedDomains is not null)
        {
            policy._allowedSource = $"{SettingsPage} › Allowed partner domains";
        }

        if (stored?.ConsumerDomains is not null || stored?.ConsumerDomainList is not null)
        {
            policy._consumerSource = $"{SettingsPage} › Personal addresses";
        }

        return policy;
    }

    /// <summary>Why an address's domain may not be invited (a clause after the quoted address), or null when it may.</summary>
    public string? Problem(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        var at = email.LastIndexOf('@');
        if (at < 0)
        {
            return null; // not an address: the email rule says so
        }

        var domain = email[(at + 1)..].Trim().ToLowerInvariant();
        if (_verified.Contains(domain))
        {
            // Entra refuses these (docs/graph.md "Verified domains"): the address is the organization's own.
            return $"is at {domain}, one of this tenant's own verified domains, and Entra does not invite its own organization's " +
                "addresses as guests — remove the row (people there sign in with their own account already)";
        }

        if (blocked.Any(d => HostPattern.Matches(d, domain)))
        {
            return $"is at {domain}, a domain this portal does not invite ({_blockedSource}) — remove the row, " +
                "or ask an administrator to unblock the domain";
        }

        if (allowed.Count > 0 && !allowed.Any(d => HostPattern.Matches(d, domain)))
        {
            var shown = string.Join(", ", allowed.Take(5)) + (allowed.Count > 5 ? ", …" : string.Empty);
            return $"is at {domain}, which is not among the partner domains this portal invites ({shown}; " +
                $"{_allowedSource}) — use the partner's address at an allowed domain, or ask an administrator to add it";
        }

        if (denyConsumer && consumer.Any(d => HostPattern.Matches(d, domain)))
        {
            return $"is a personal address at {domain}, and this portal does not invite personal addresses " +
                $"({_consumerSource}) — ask the partner for their work address";
        }

        return null;
    }
}
