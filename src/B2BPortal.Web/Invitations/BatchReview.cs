using B2BPortal.Web.Data;
using B2BPortal.Web.Delivery;
using Microsoft.EntityFrameworkCore;

namespace B2BPortal.Web.Invitations;

/// <summary>The review step: "Send N invitations" queues a reviewed batch's valid rows; "Discard" throws it away.</summary>
public sealed class BatchReview(PortalDbContext db, GuestInvitePolicy invitePolicy, TimeProvider time)
{
    /// <summary>Queues the valid rows of a batch under review. Returns the number queued, or null when the batch is not under review.</summary>
    /// <exception cref="SubmissionRefusedException">The tenant would refuse every row; nothing was queued.</exception>
    /// <param name="sender">The signed-in admin it is sent as (browser); null sends it as the portal's application.</param>
    public async Task<int?> SubmitAsync(Guid batchId, string actor, BatchSender? sender, CancellationToken ct)
    {
        if (sender is null && await db.Batches.AnyAsync(b => b.Id == batchId && b.Status == BatchStatus.Review, ct))
        {
            await invitePolicy.EnsureAppOnlyMayInviteAsync(ct);
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.Batches.Where(b => b.Id == batchId).TransitionAsync(
            BatchTransition.Submit,
            ct,
            s => s.SetProperty(b => b.SubmittedAt, now)
                .SetProperty(b => b.SubmittedBy, actor)
                .SetProperty(b => b.SentAs, sender == null ? null : sender.UserPrincipalName)
                .SetProperty(b => b.SenderObjectId, sender == null ? null : sender.ObjectId)
                .SetProperty(b => b.SenderTenantId, sender == null ? null : sender.TenantId));
        if (claimed == 0)
        {
            return null;
        }

        var queued = await db.Invitations.Where(i => i.BatchId == batchId).SubmitAsync(now, ct);
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
        var changed = await db.Batches.Where(b => b.Id == batchId).TransitionAsync(BatchTransition.Discard, ct);
        if (changed == 0)
        {
            return false;
        }

        await db.Invitations.Where(i => i.BatchId == batchId).DiscardAsync(now, ct);
        db.AuditEntries.Add(new AuditEntry { At = now, Actor = actor, Action = "Discarded", BatchId = batchId });
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }
}
