using B2BPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace B2BPortal.Web.Invitations;

/// <summary>The review step: "Send N invitations" queues a reviewed batch's valid rows; "Discard" throws it away.</summary>
public sealed class BatchReview(PortalDbContext db, TimeProvider time)
{
    /// <summary>NextAttemptAt of valid rows waiting for review: the queue never reaches it, so nothing is sent before "Send".</summary>
    public static readonly DateTime HeldForReview = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Queues the valid rows of a batch under review. Returns the number queued, or null when the batch is not under review.</summary>
    public async Task<int?> SubmitAsync(Guid batchId, string actor, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.Batches
            .Where(b => b.Id == batchId && b.Status == BatchStatus.Review)
            .ExecuteUpdateAsync(s => s
                .SetProperty(b => b.Status, BatchStatus.Submitted)
                .SetProperty(b => b.SubmittedAt, now)
                .SetProperty(b => b.SubmittedBy, actor), ct);
        if (claimed == 0)
        {
            return null;
        }

        var queued = await db.Invitations
            .Where(i => i.BatchId == batchId && i.Status == InvitationStatus.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.NextAttemptAt, (DateTime?)null)
                .SetProperty(i => i.QueuedAt, now)
                .SetProperty(i => i.UpdatedAt, now), ct);
        db.AuditEntries.Add(new AuditEntry { At = now, Actor = actor, Action = "Submitted", BatchId = batchId, Detail = $"{Plural.Of(queued, "invitation")} queued" });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return queued;
    }

    /// <summary>Discards a batch under review: its rows stay for the record as Cancelled and are never sent.</summary>
    public async Task<bool> DiscardAsync(Guid batchId, string actor, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.Batches
            .Where(b => b.Id == batchId && b.Status == BatchStatus.Review)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.Status, BatchStatus.Discarded), ct);
        if (changed == 0)
        {
            return false;
        }

        await db.Invitations
            .Where(i => i.BatchId == batchId && i.Status == InvitationStatus.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, InvitationStatus.Cancelled)
                .SetProperty(i => i.NextAttemptAt, (DateTime?)null)
                .SetProperty(i => i.UpdatedAt, now), ct);
        db.AuditEntries.Add(new AuditEntry { At = now, Actor = actor, Action = "Discarded", BatchId = batchId });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }
}
