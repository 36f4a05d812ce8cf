namespace B2BPortal.Web.Data;

/// <summary>Who did what, when: uploads, submits, discards, cancels, re-sends, pauses and resumes.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    /// <summary>UPN of a person, or "app:{clientId}" for automation, or "system".</summary>
    [MaxLength(FieldLengths.Principal)] public required string Actor { get; set; }

    /// <summary>Short verb: Uploaded, Submitted, Discarded, Cancelled, Resent, Paused, Resumed, Invited.</summary>
    [MaxLength(FieldLengths.AuditAction)] public required string Action { get; set; }

    public Guid? BatchId { get; set; }

    /// <summary>Human-readable detail without personal data beyond what the admin already sees (counts, file name).</summary>
    [MaxLength(FieldLengths.AuditDetail)] public string? Detail { get; set; }
}
