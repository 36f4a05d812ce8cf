namespace B2BPortal.Web.Data;

/// <summary>
/// Pacing state shared by every instance (one row per tenant): a Retry-After that stops everybody, and the
/// abuse-block pause that only an admin lifts.
/// </summary>
public sealed class TenantPacing
{
    /// <summary>The Entra tenant id (or "simulated").</summary>
    [MaxLength(FieldLengths.TenantId)] public required string TenantId { get; set; }

    /// <summary>No invitation request may start before this time (Retry-After shared by all instances).</summary>
    public DateTime? NotBefore { get; set; }

    public DateTime? PausedAt { get; set; }

    /// <summary>Graph's own message when the tenant was paused (403 abuse block).</summary>
    public string? PausedReason { get; set; }

    /// <summary>Optimistic concurrency for the pacing window.</summary>
    public long Version { get; set; }

    /// <summary>Start of the current pacing window and how many invitations were started in it.</summary>
    public DateTime WindowStart { get; set; }

    public int WindowCount { get; set; }

    /// <summary>The next free identity-write slot (group adds, app assignments); null = free now.</summary>
    public DateTime? WriteSlotAt { get; set; }

    /// <summary>
    /// A guest clean-up run is under way until this time (its instance clears it when done; if that instance dies, the
    /// time runs out): one run at a time across every worker and admin, so nothing is planned and audited twice.
    /// </summary>
    public DateTime? CleanupRunUntil { get; set; }

    /// <summary>
    /// The next free slot of the portal's own email (Invitations:EmailsPerMinute): shared by every instance and kept across
    /// restarts, because the limit it honours is the sending mailbox's, not a process's.
    /// </summary>
    public DateTime? EmailSlotAt { get; set; }
}
