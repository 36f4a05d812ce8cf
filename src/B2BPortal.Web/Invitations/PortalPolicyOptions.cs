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

    /// <summary><c>Allow</c> (default) or <c>Deny</c>: whether personal addresses (<see cref="ConsumerDomainList"/>) may be invited.</summary>
    public ConsumerDomainRule ConsumerDomains { get; set; } = ConsumerDomainRule.Allow;

    /// <summary>The consumer (personal) mail domains <see cref="ConsumerDomains"/> applies to; a built-in list unless configured.</summary>
    /// <remarks>Null until configured: the binder adds configured items to a list that already has some, so the default
    /// lives in <see cref="EffectiveConsumerDomains"/> instead.</remarks>
    public List<string>? ConsumerDomainList { get; set; }

    public IReadOnlyList<string> EffectiveConsumerDomains => ConsumerDomainList ?? DefaultConsumerDomains;

    /// <summary>Partner domains the portal invites; empty (the default) allows any domain not blocked.</summary>
    public List<string> AllowedDomains { get; set; } = [];

    /// <summary>Domains the portal never invites.</summary>
    public List<string> BlockedDomains { get; set; } = [];

    /// <summary>Common free mail providers: personal, not organisational, addresses.</summary>
    public static readonly IReadOnlyList<string> DefaultConsumerDomains =
    [
        "outlook.com", "hotmail.com", "live.com", "msn.com", "passport.com", "gmail.com", "googlemail.com", "yahoo.com",
        "ymail.com", "rocketmail.com", "icloud.com", "me.com", "mac.com", "aol.com", "gmx.com", "gmx.de", "gmx.net",
        "web.de", "proton.me", "protonmail.com", "mail.com", "zoho.com", "yandex.ru", "yandex.com", "mail.ru", "qq.com",
        "163.com", "126.com", "naver.com",
    ];

    public bool IsValid() => DomainsAreValid(AllowedDomains) && DomainsAreValid(BlockedDomains) && DomainsAreValid([.. EffectiveConsumerDomains])
        && RedirectHosts.TrueForAll(host =>
        !string.IsNullOrWhiteSpace(host)
        && Uri.CheckHostName(host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6);

    private static bool DomainsAreValid(List<string> domains) => domains.TrueForAll(domain =>
        !string.IsNullOrWhiteSpace(domain)
        && Uri.CheckHostName(domain.Trim().StartsWith("*.", StringComparison.Ordinal) ? domain.Trim()[2..] : domain.Trim()) == UriHostNameType.Dns);

    /// <summary>
    /// A list given as one value (<c>--Portal:Policy:BlockedDomains=a.example,b.example</c>, or an environment variable)
    /// instead of indexed items: split at commas, semicolons and spaces.
    /// </summary>
    public static void ReadScalarLists(PortalPolicyOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        static List<string>? Scalar(IConfiguration configuration, string key) =>
            configuration[$"{SectionName}:{key}"] is { Length: > 0 } value
                ? [.. value.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
                : null;

        options.AllowedDomains = Scalar(configuration, nameof(AllowedDomains)) ?? options.AllowedDomains;
        options.BlockedDomains = Scalar(configuration, nameof(BlockedDomains)) ?? options.BlockedDomains;
        options.ConsumerDomainList = Scalar(configuration, nameof(ConsumerDomainList)) ?? options.ConsumerDomainList;
        options.RedirectHosts = Scalar(configuration, nameof(RedirectHosts)) ?? options.RedirectHosts;
    }
}

/// <summary>Whether personal (consumer) mail addresses may be invited.</summary>
public enum ConsumerDomainRule
{
    Allow,
    Deny,
}
