using B2BPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace B2BPortal.Web.Delivery;

/// <summary>What admins (pages) and automation (API) do to a batch after submission; every action is audited.</summary>
public sealed class BatchActions(IDbContextFactory<PortalDbContext> dbFactory, TenantPacer pacer, GuestInvitePolicy invitePolicy, TimeProvider time)
{
    /// <summary>
    /// Re-queues the batch's rows in <paramref name="statuses"/>: Failed (and Cancelled) rows get a new attempt on
    /// the same row; Invited rows are invited again with a fresh email — as a new invitation of the existing guest,
    /// or, with <paramref name="resetRedemption"/>, with Graph's resetRedemption (Accepted rows only then).
    /// </summary>
    /// <returns>The number of rows put back in the queue.</returns>
    /// <exception cref="SubmissionRefusedException">The tenant would refuse every row; nothing was queued.</exception>
    public async Task<int> ResendAsync(
        Guid batchId,
        IReadOnlyCollection<InvitationStatus> statuses,
        bool resetRedemption,
        string actor,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Batches.AnyAsync(b => b.Id == batchId && b.SenderObjectId == null, ct))
        {
            // Rows go out again as their batch was sent; only the application's sending depends on the invite setting.
            await invitePolicy.EnsureAppOnlyMayInviteAsync(ct);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        // A discarded batch is final, and a batch under review has nothing that was ever sent.
        var rows = db.Invitations.Where(i => i.BatchId == batchId
            && db.Batches.Any(b => b.Id == batchId && (b.Status == BatchStatus.Submitted || b.Status == BatchStatus.Cancelled)));
        var count = 0;

        var retry = statuses.Where(s => s is InvitationStatus.Failed or InvitationStatus.Cancelled).ToList();
        if (retry.Count > 0)
        {
            count += await rows.Where(i => retry.Contains(i.Status)).RetryAgainAsync(now, ct);
        }

        var reinvite = statuses.Where(s => s == InvitationStatus.Invited || (resetRedemption && s == InvitationStatus.Accepted)).ToList();
        if (reinvite.Count > 0)
        {
            var targets = rows.Where(i => reinvite.Contains(i.Status) && i.GraphUserId != null);
            await db.InvitationAssignments
                .Where(a => a.Status == AssignmentStatus.Failed && targets.Any(i => i.Id == a.InvitationId))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AssignmentStatus.Pending).SetProperty(a => a.Error, (string?)null), ct);
            count += await targets.ReinviteAsync(resetRedemption, now, ct);
        }

        if (count > 0)
        {
            // A cancelled batch that has rows in the queue again is being sent again.
            await db.Batches.Where(b => b.Id == batchId).TransitionAsync(BatchTransition.Resend, ct);
        }

        var what = string.Join(", ", statuses.Distinct().Order());
        db.AuditEntries.Add(new AuditEntry
        {
            At = now,
            Actor = actor,
            Action = "Resent",
            BatchId = batchId,
            Detail = $"{Plural.Of(count, "invitation")} re-queued ({what}){(resetRedemption ? ", redemption reset" : string.Empty)}.",
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return count;
    }

    /// <summary>
    /// Queued rows of the batch become Cancelled; a row already with Graph finishes, and one that comes back from its
    /// worker (transient failure, shutdown) becomes Cancelled instead of Queued. Returns how many were queued.
    /// </summary>
    public async Task<int> CancelAsync(Guid batchId, string actor, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        // The batch first: a worker that hands back a row in flight reads the batch's status (InvitationLifecycle.Release).
        await db.Batches.Where(b => b.Id == batchId).TransitionAsync(BatchTransition.Cancel, ct);
        var count = await db.Invitations.Where(i => i.BatchId == batchId).CancelAsync(now, ct);
        db.AuditEntries.Add(new AuditEntry
        {
            At = now,
            Actor = actor,
            Action = "Cancelled",
            BatchId = batchId,
            Detail = $"{Plural.Of(count, "queued invitation")} cancelled.",
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return count;
    }

    /// <summary>Lifts the abuse-block pause: an admin's decision, never automatic.</summary>
    public async Task ResumeTenantAsync(string actor, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        var wasPaused = await pacer.ResumeAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow().UtcDateTime,
            Actor = actor,
            Action = "Resumed",
            Detail = wasPaused ? "Invitation sending resumed." : "Resume requested; sending was not paused.",
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>For the admin banner: sending, throttled until a time, or paused with Graph's reason.</summary>
    public Task<PacingState> GetPacingStateAsync(CancellationToken ct) => pacer.GetStateAsync(ct);
}
