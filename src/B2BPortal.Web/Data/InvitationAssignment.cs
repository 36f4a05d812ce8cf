namespace B2BPortal.Web.Data;

public enum AssignmentKind
{
    Group,
    App,

    /// <summary>The employee who asked for the guest (an approved access request), added as the guest's sponsor in Entra.</summary>
    Sponsor,
}

public enum AssignmentStatus
{
    Pending,
    Done,
    Failed,
}

/// <summary>A group membership or app assignment owed to one invited guest, recorded so a retry does only what is left.</summary>
public sealed class InvitationAssignment
{
    public long Id { get; set; }

    public long InvitationId { get; set; }

    public AssignmentKind Kind { get; set; }

    /// <summary>Group object ID or application (client) ID as written in the file; for a sponsor, the sponsor's user object ID.</summary>
    [MaxLength(FieldLengths.Identifier)] public required string TargetId { get; set; }

    public AssignmentStatus Status { get; set; }

    public string? Error { get; set; }

    public DateTime? CompletedAt { get; set; }
}
