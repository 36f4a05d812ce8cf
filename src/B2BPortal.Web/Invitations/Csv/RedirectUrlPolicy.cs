namespace B2BPortal.Web.Invitations.Csv;

/// <summary>
/// The deployment's rule for where an invitation may send a guest after accepting (issue 11): https only unless
/// http is allowed, and — when an allow-list is configured — only to its hosts. A redirect elsewhere would let an
/// uploader use the tenant's own invitation email to lead guests to a site of their choosing.
/// </summary>
public sealed class RedirectUrlPolicy(bool allowHttp, IReadOnlyList<string> hosts)
{
    public static RedirectUrlPolicy From(PortalPolicyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.AllowHttpRedirects, [.. options.RedirectHosts.Select(h => h.Trim())]);
    }

    /// <summary>Why a well-formed web address is not allowed (a clause after the quoted value), or null when it is.</summary>
    public string? Problem(string url, bool mayBeEmpty)
    {
        var uri = new Uri(url, UriKind.Absolute);
        if (!allowHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return "is a plain http:// address — invitations only send guests to https:// addresses; change it to start with https://" +
                (mayBeEmpty ? ", or leave the cell empty for the tenant's My Apps" : "");
        }

        if (hosts.Count > 0 && !hosts.Any(h => HostPattern.Matches(h, uri.IdnHost)))
        {
            return $"goes to {uri.IdnHost}, which is not among the hosts this portal sends guests to ({string.Join(", ", hosts)}, " +
                "set by Portal:Policy:RedirectHosts) — use an address on one of them" +
                (mayBeEmpty ? ", or leave the cell empty for the tenant's My Apps" : "");
        }

        return null;
    }
}
