namespace B2BPortal.Web.Data;

/// <summary>
/// A partner domain whose access requests are approved without an approver (issue 13), kept by Global Administrators:
/// a request whose partners all have addresses there is sent at once, as the portal's application, with this entry's
/// redirect URL, groups, applications and message.
/// </summary>
public sealed class PreapprovedDomain
{
    public long Id { get; set; }

    /// <summary>A domain, exactly (<c>fabrikam.com</c>), or <c>*.fabrikam.com</c> for its subdomains; lower-case.</summary>
    [MaxLength(FieldLengths.DisplayName)] public required string Domain { get; set; }

    /// <summary>Where the guests land after accepting (null: the tenant's My Apps).</summary>
    [MaxLength(FieldLengths.Url)] public string? RedirectUrl { get; set; }

    /// <summary>Group object IDs from the assignable list, each once; null when none.</summary>
    public List<string>? GroupIds { get; set; }

    /// <summary>Application (client) IDs from the assignable list, each once; null when none.</summary>
    public List<string>? AppIds { get; set; }

    /// <summary>The invitation's custom message.</summary>
    [MaxLength(FieldLengths.CustomMessage)] public string? Message { get; set; }

    [MaxLength(FieldLengths.Principal)] public required string AddedBy { get; set; }

    public DateTime AddedAt { get; set; }
}
