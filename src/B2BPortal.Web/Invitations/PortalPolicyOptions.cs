namespace B2BPortal.Web.Invitations;

/// <summary>Where invitations may send guests (section <c>Portal:Policy</c>).</summary>
public sealed class PortalPolicyOptions
{
    public const string SectionName = "Portal:Policy";

    /// <summary>
    /// Hosts an InviteReplyURL / inviteRedirectURL may point to; empty (the default) allows any host. An entry is a host
    /// name (<c>myapps.microsoft.com</c>) or a wildcard for its subdomains (<c>*.contoso.com</c>).
    /// </summary>
    public List<string> RedirectHosts { get; set; } = [];

    /// <summary>Whether a redirect URL may be plain <c>http://</c>; off by default (https only).</summary>
    public bool AllowHttpRedirects { get; set; }

    public bool IsValid() => RedirectHosts.TrueForAll(host =>
        !string.IsNullOrWhiteSpace(host)
        && Uri.CheckHostName(host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6);
}
