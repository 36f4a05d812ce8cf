namespace B2BPortal.Web.Data;

/// <summary>Which invitation list a batch came from: the 2016 Azure AD B2B CSV, today's Entra bulk invite template, or the single-invitation form/API.</summary>
public enum BatchFormat
{
    Legacy,
    Entra,
    Single,

    /// <summary>An approved access request: its partners, submitted by the approver.</summary>
    Request,
}

/// <summary>Who writes the invitation email: Microsoft (Graph sends its own) or the portal (its localized email, docs/architecture.md decision 3a).</summary>
public enum InvitationEmail
{
    Microsoft,
    Portal,
}

public enum BatchStatus
{
    /// <summary>Uploaded and validated; waiting for an admin to send or discard it.</summary>
    Review,

    /// <summary>Its valid rows were queued for sending.</summary>
    Submitted,

    /// <summary>Thrown away at review; its rows are kept for the record but never sent.</summary>
    Discarded,

    /// <summary>Cancelled after submission: queued rows became Cancelled.</summary>
    Cancelled,
}

/// <summary>One uploaded file (or one single invitation) and what was found in it.</summary>
public sealed class Batch
{
    public Guid Id { get; set; }

    [MaxLength(FieldLengths.FileName)] public required string FileName { get; set; }

    /// <summary>Hex SHA-256 of the uploaded bytes, so an admin can tell two uploads of the same file apart from two files.</summary>
    [MaxLength(FieldLengths.Sha256Hex)] public required string Sha256 { get; set; }

    public long SizeBytes { get; set; }

    public BatchFormat Format { get; set; }

    public BatchStatus Status { get; set; }

    /// <summary>UPN (or client id for automation) of who uploaded it.</summary>
    [MaxLength(FieldLengths.Principal)] public required string UploadedBy { get; set; }

    public DateTime UploadedAt { get; set; }

    [MaxLength(FieldLengths.Principal)] public string? SubmittedBy { get; set; }

    public DateTime? SubmittedAt { get; set; }

    /// <summary>
    /// The admin the batch is sent as (delegated: submitted in the browser), by user principal name; null = sent as the
    /// portal's application (automation, or the app-only choice).
    /// </summary>
    [MaxLength(FieldLengths.Principal)] public string? SentAs { get; set; }

    /// <summary>The sending admin's object and tenant ids, which find their tokens in the portal's token cache.</summary>
    [MaxLength(FieldLengths.Identifier)] public string? SenderObjectId { get; set; }

    [MaxLength(FieldLengths.Identifier)] public string? SenderTenantId { get; set; }

    /// <summary>Why the batch cannot go on (its sender must sign in again); its rows wait, none fails. Null = not paused.</summary>
    [MaxLength(FieldLengths.AuditDetail)] public string? PausedReason { get; set; }

    /// <summary>Who writes the guests' invitation email; chosen at upload (configuration default <c>Invitations:Email</c>).</summary>
    public InvitationEmail Email { get; set; }

    public int TotalRows { get; set; }

    public int ValidRows { get; set; }

    public int InvalidRows { get; set; }

    public List<Invitation> Invitations { get; set; } = [];

    /// <summary>
    /// The name of an uploaded file as the portal stores and shows it: no folders, no control characters, and no
    /// invisible formatting characters — a right-to-left override (U+202E) would make "partners\u202Evsc.exe" show as
    /// "partnersexe.csv" on every page that lists it.
    /// </summary>
    public static string SafeFileName(string? fileName)
    {
        var kept = new string([.. (fileName ?? "").Where(c => !char.IsControl(c) && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format)]);
        var name = Path.GetFileName(kept.Replace('\\', '/'));
        name = string.IsNullOrWhiteSpace(name) ? "upload.csv" : name;
        return name.Length <= FieldLengths.FileName ? name : name[..FieldLengths.FileName];
    }
}
