namespace B2BPortal.Web.Data;

/// <summary>
/// An employee's request to invite one or more partners (issue 13). Members without an admin role make them and see only
/// their own; an approver approves (the partners become a batch sent as the approver, with the requester as each guest's
/// sponsor) or rejects, with a comment. Every step is in the audit log.
/// </summary>
public sealed class AccessRequest
{
    public Guid Id { get; set; }

    /// <summary>The requester's user principal name (as the audit log names people).</summary>
    [MaxLength(FieldLengths.Principal)] public required string RequestedBy { get; set; }

    /// <summary>The requester's object ID in Entra, who becomes the guests' sponsor; null for an automation client.</summary>
    [MaxLength(FieldLengths.Identifier)] public string? RequesterObjectId { get; set; }

    [MaxLength(FieldLengths.DisplayName)] public string? RequesterName { get; set; }

    /// <summary>Why the partners need access, in the requester's words (shown to the approver).</summary>
    [MaxLength(FieldLengths.CustomMessage)] public required string Justification { get; set; }

    public AccessRequestStatus Status { get; set; }

    public DateTime RequestedAt { get; set; }

    [MaxLength(FieldLengths.Principal)] public string? DecidedBy { get; set; }

    public DateTime? DecidedAt { get; set; }

    /// <summary>The approver's comment (required to reject, so the requester learns why).</summary>
    [MaxLength(FieldLengths.CustomMessage)] public string? DecisionComment { get; set; }

    /// <summary>The batch an approval became; its rows carry the invitations' outcome.</summary>
    public Guid? BatchId { get; set; }

    public List<AccessRequestPartner> Partners { get; set; } = [];
}

/// <summary>One partner of a request: who to invite and what to give them (groups and apps from the assignable list).</summary>
public sealed class AccessRequestPartner
{
    public long Id { get; set; }

    public Guid AccessRequestId { get; set; }

    /// <summary>1-based order in the request (the row number of the batch an approval makes).</summary>
    public int Position { get; set; }

    [MaxLength(FieldLengths.Email)] public required string Email { get; set; }

    [MaxLength(FieldLengths.DisplayName)] public required string DisplayName { get; set; }

    [MaxLength(FieldLengths.DisplayName)] public string? Company { get; set; }

    [MaxLength(FieldLengths.Language)] public string? Language { get; set; }

    /// <summary>Group object IDs, each once, as a row holds them; null when none.</summary>
    public List<string>? GroupIds { get; set; }

    /// <summary>Application (client) IDs, each once; null when none.</summary>
    public List<string>? AppIds { get; set; }

    /// <summary>
    /// This partner's decision (a request may be approved for some partners only): approved (invited: the batch's row with
    /// this position) or rejected once the request is decided, pending until then.
    /// </summary>
    public AccessRequestStatus Decision { get; set; }
}
