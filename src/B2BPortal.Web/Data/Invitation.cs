using System.ComponentModel.DataAnnotations.Schema;

namespace B2BPortal.Web.Data;

/// <summary>
/// One row of a batch and, once submitted, one unit of work in the queue (the invitations table is the queue:
/// docs/architecture.md decision 2). Times are UTC.
/// </summary>
public sealed class Invitation
{
    public long Id { get; set; }

    public Guid BatchId { get; set; }

    public Batch? Batch { get; set; }

    /// <summary>The row as the admin sees it in a spreadsheet (header and version lines count).</summary>
    public int RowNumber { get; set; }

    /// <summary>The address as written in the file (trimmed).</summary>
    [MaxLength(FieldLengths.Email)] public required string Email { get; set; }

    /// <summary>Lower-cased address used for duplicate detection and directory look-ups.</summary>
    [MaxLength(FieldLengths.Email)] public required string NormalizedEmail { get; set; }

    [MaxLength(FieldLengths.DisplayName)] public string? DisplayName { get; set; }

    [MaxLength(FieldLengths.Url)] public string? RedirectUrl { get; set; }

    [MaxLength(FieldLengths.Url)] public string? ContactUsUrl { get; set; }

    /// <summary>The 2016 InviteAppID (branding); recorded and shown, Graph has no equivalent today.</summary>
    [MaxLength(FieldLengths.Identifier)] public string? BrandingAppId { get; set; }

    /// <summary>Application (client) IDs to assign, each once; null when none (<see cref="IdList"/>).</summary>
    public List<string>? AppIds { get; set; }

    /// <summary>Group object IDs to add the guest to, each once; null when none (<see cref="IdList"/>).</summary>
    public List<string>? GroupIds { get; set; }

    /// <summary>One of the seed's language codes in canonical case (en, de, pt-BR, zh-HANS …); null = English.</summary>
    [MaxLength(FieldLengths.Language)] public string? Language { get; set; }

    /// <summary>
    /// Object ID of the employee who requested this guest (an approved access request): recorded as the guest's sponsor in
    /// Entra after the invitation, like a group add. Null for uploads and single invitations.
    /// </summary>
    [MaxLength(FieldLengths.Identifier)] public string? SponsorId { get; set; }

    // Where the row stands, and the queue: its attempts and the lease of the worker sending it.
    public InvitationStatus Status { get; set; }

    /// <summary>Why the row is Invalid, stored as a JSON column; empty when the row is valid.</summary>
    public List<RowError>? ValidationErrors { get; set; }

    /// <summary>Why the row is Invalid as every reader shows it (pages, API, results.csv); empty for a valid row.</summary>
    [NotMapped]
    public IReadOnlyList<RowError> Errors => ValidationErrors ?? [];

    public int Attempts { get; set; }

    /// <summary>Not claimed before this time (backoff after a transient failure).</summary>
    public DateTime? NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    /// <summary>Which worker holds the row while it is Sending.</summary>
    [MaxLength(FieldLengths.LeaseOwner)] public string? LeaseOwner { get; set; }

    /// <summary>Fencing token: every write after a claim names it, so a worker whose lease expired changes nothing.</summary>
    public Guid? LeaseToken { get; set; }

    public DateTime? LeaseExpiresAt { get; set; }

    // What Graph answered.
    [MaxLength(FieldLengths.Identifier)] public string? GraphUserId { get; set; }

    [MaxLength(FieldLengths.Url)] public string? RedeemUrl { get; set; }

    // When.
    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    public DateTime? QueuedAt { get; set; }

    public DateTime? InvitedAt { get; set; }

    public DateTime? AcceptedAt { get; set; }

    // The invitation email: its message, whether Microsoft sends it, and the portal's own email stage.
    [MaxLength(FieldLengths.CustomMessage)] public string? CustomMessage { get; set; }

    public bool SendEmail { get; set; } = true;

    /// <summary>
    /// The portal's own email (batches with <see cref="InvitationEmail.Portal"/>): due from this time once Graph has the
    /// guest and a redeem URL; null when the row gets no portal email.
    /// </summary>
    public DateTime? EmailDueAt { get; set; }

    /// <summary>Set while a sender is handing the email to the mail transport; a lease that runs out unrecorded means "unknown", never a second email.</summary>
    public DateTime? EmailLeaseUntil { get; set; }

    public DateTime? EmailSentAt { get; set; }

    /// <summary>Why the portal's email was not sent (the transport's words); only a re-send tries again.</summary>
    public string? EmailError { get; set; }

    // Guest clean-up, after the invitation (it does not change the row's Status).
    /// <summary>
    /// Guest clean-up re-invited this row once (never accepted after <c>Portal:Cleanup:ReinviteAfterDays</c>); it is
    /// removed, not re-invited again, if it still is not accepted. The row's Status is not touched by clean-up.
    /// </summary>
    public DateTime? ReinvitedAt { get; set; }

    /// <summary>
    /// When clean-up deleted the guest in Entra (restorable from deleted items for 30 days); null while the guest exists.
    /// Kept beside Status, not as a status, so the batch counts (BatchStatusCounts) stay what was sent and accepted.
    /// </summary>
    public DateTime? RemovedAt { get; set; }

    /// <summary>Why clean-up removed the guest, in the words of the dry-run report.</summary>
    public string? RemovedReason { get; set; }

    /// <summary>When an admin restored the removed guest: inactivity is counted from here again.</summary>
    public DateTime? RestoredAt { get; set; }

    /// <summary>
    /// When clean-up asked the guest's sponsor whether the inactive guest still needs access
    /// (<c>Portal:Cleanup:AskSponsorDays</c>); the guest is removed that many days later unless the sponsor keeps them.
    /// </summary>
    public DateTime? SponsorAskedAt { get; set; }

    /// <summary>When the sponsor (or an admin) answered "keep": inactivity is counted from here again.</summary>
    public DateTime? KeptAt { get; set; }

    public List<InvitationAssignment> Assignments { get; set; } = [];
}

/// <summary>A validation problem in one cell: the column as the admin knows it and a sentence that says the fix.</summary>
public sealed record RowError(string Column, string Message);
