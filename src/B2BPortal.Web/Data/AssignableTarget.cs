namespace B2BPortal.Web.Data;

public enum AssignableKind
{
    Group,
    Application,
}

/// <summary>
/// A group or application guests may be added to (issue 11, least privilege): the portal's Graph permissions reach every
/// group and app in the tenant, so a Global Administrator keeps the list of the ones uploads may name. A row naming
/// anything else is Invalid at upload. Display names are read from Graph when the entry is added.
/// </summary>
public sealed class AssignableTarget
{
    public long Id { get; set; }

    public AssignableKind Kind { get; set; }

    /// <summary>Group object ID or application (client) ID, lower-case GUID ("D" format), as rows are normalized.</summary>
    [MaxLength(FieldLengths.Identifier)] public required string TargetId { get; set; }

    /// <summary>The group's or service principal's display name in the tenant when it was added.</summary>
    [MaxLength(FieldLengths.DisplayName)] public required string DisplayName { get; set; }

    /// <summary>UPN of the Global Administrator who added it, or "system" for the simulated tenant's seeds.</summary>
    [MaxLength(FieldLengths.Principal)] public required string AddedBy { get; set; }

    public DateTime AddedAt { get; set; }
}
