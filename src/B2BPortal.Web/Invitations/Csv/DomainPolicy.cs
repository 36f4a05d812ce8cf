namespace B2BPortal.Web.Invitations.Csv;

/// <summary>
/// Which partner domains this portal invites (<c>Portal:Policy</c>): blocked domains never, only the allowed domains
/// when that list is set, and personal (consumer) addresses only when allowed. Checked at upload, so a row outside the
/// policy is Invalid with the reason instead of being sent and refused later (or worse, sent).
/// </summary>
public sealed class DomainPolicy(IReadOnlyList<string> allowed, IReadOnlyList<string> blocked, IReadOnlyList<string> consumer, bool denyConsumer)
{
    public static DomainPolicy From(PortalPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        static string[] Clean(IEnumerable<string> domains) => [.. domains.Select(d => d.Trim().ToLowerInvariant()).Where(d => d.Length > 0)];
        return new(Clean(options.AllowedDomains), Clean(options.BlockedDomains), Clean(options.EffectiveConsumerDomains),
            options.ConsumerDomains == ConsumerDomainRule.Deny);
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
        if (blocked.Any(d => HostPattern.Matches(d, domain)))
        {
            return $"is at {domain}, a domain this portal does not invite (Portal:Policy:BlockedDomains) — remove the row, " +
                "or ask an administrator to unblock the domain";
        }

        if (allowed.Count > 0 && !allowed.Any(d => HostPattern.Matches(d, domain)))
        {
            var shown = string.Join(", ", allowed.Take(5)) + (allowed.Count > 5 ? ", …" : string.Empty);
            return $"is at {domain}, which is not among the partner domains this portal invites ({shown}; " +
                "Portal:Policy:AllowedDomains) — use the partner's address at an allowed domain, or ask an administrator to add it";
        }

        if (denyConsumer && consumer.Any(d => HostPattern.Matches(d, domain)))
        {
            return $"is a personal address at {domain}, and this portal does not invite personal addresses " +
                "(Portal:Policy:ConsumerDomains=Deny) — ask the partner for their work address";
        }

        return null;
    }
}
