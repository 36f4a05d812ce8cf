namespace B2BPortal.Web.Data;

/// <summary>
/// Rows per status for one batch (or all), as <see cref="BatchStatusCount"/> keeps them, and what adds up from them: the
/// one definition of "to send", "in flight" and "processed" that the batch page, its progress poll, the API and the
/// dashboard read (a batch's "done" adds its own state: <see cref="B2BPortal.Web.Batches.BatchDetails.Result"/>).
/// </summary>
public sealed record StatusCounts(int Held, int Queued, int Sending, int Invited, int Accepted, int Failed, int Invalid, int Cancelled)
{
    public static readonly StatusCounts None = new(0, 0, 0, 0, 0, 0, 0, 0);

    public int Total => Held + Queued + Sending + Invited + Accepted + Failed + Invalid + Cancelled;

    /// <summary>Rows that go (or went) to Graph: everything but invalid ones.</summary>
    public int ToSend => Total - Invalid;

    /// <summary>Rows still to be sent or being sent.</summary>
    public int InFlight => Queued + Sending;

    /// <summary>Rows whose sending is over (sent, accepted, failed or cancelled).</summary>
    public int Processed => ToSend - Held - InFlight;

    /// <summary>The count of one status (the inverse of <see cref="From"/>).</summary>
    public int Of(InvitationStatus status) => status switch
    {
        InvitationStatus.Held => Held,
        InvitationStatus.Queued => Queued,
        InvitationStatus.Sending => Sending,
        InvitationStatus.Invited => Invited,
        InvitationStatus.Accepted => Accepted,
        InvitationStatus.Failed => Failed,
        InvitationStatus.Invalid => Invalid,
        InvitationStatus.Cancelled => Cancelled,
        _ => 0,
    };

    public static StatusCounts From(IReadOnlyDictionary<InvitationStatus, int> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int Get(InvitationStatus status) => counts.TryGetValue(status, out var n) ? n : 0;
        return new StatusCounts(
            Get(InvitationStatus.Held),
            Get(InvitationStatus.Queued),
            Get(InvitationStatus.Sending),
            Get(InvitationStatus.Invited),
            Get(InvitationStatus.Accepted),
            Get(InvitationStatus.Failed),
            Get(InvitationStatus.Invalid),
            Get(InvitationStatus.Cancelled));
    }

    /// <summary>Every batch's counts added up (the dashboard): one row per batch and status, not one per invitation.</summary>
    public static async Task<StatusCounts> OfAllBatchesAsync(PortalDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.BatchStatusCounts.AsNoTracking()
            .GroupBy(c => c.Status)
            .Select(g => new { Status = g.Key, Count = g.Sum(c => c.Count) })
            .ToListAsync(ct);
        return From(rows.ToDictionary(r => r.Status, r => r.Count));
    }
}
