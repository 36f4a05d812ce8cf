namespace B2BPortal.Web.Data;

/// <summary>
/// The partner-domain policy as a Global Administrator set it on Settings › Domain policy (one row). A null field leaves
/// that part to configuration (<c>Portal:Policy</c>); a set one takes precedence, an empty list included ("no list").
/// Lists are stored one domain per line.
/// </summary>
public sealed class PolicySetting
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary><c>Allow</c> or <c>Deny</c> for personal (consumer) addresses; null: configuration.</summary>
    [MaxLength(FieldLengths.EnumName)] public string? ConsumerDomains { get; set; }

    public string? ConsumerDomainList { get; set; }

    public string? AllowedDomains { get; set; }

    public string? BlockedDomains { get; set; }

    public string? RedirectHosts { get; set; }

    [MaxLength(FieldLengths.Principal)] public required string UpdatedBy { get; set; }

    public DateTime UpdatedAt { get; set; }
}
