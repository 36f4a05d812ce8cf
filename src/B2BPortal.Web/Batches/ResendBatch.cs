namespace B2BPortal.Web.Batches;

/// <summary>
/// Send a batch's rows again: Failed (and Cancelled) rows get a new attempt on the same row; Invited rows are invited
/// again with a fresh email — as a new invitation of the existing guest, or, with ResetRedemption, with Graph's
/// resetRedemption (Accepted rows only then). The batch page's "Re-send N failed" and "Re-send to N not accepted…",
/// and <c>POST /api/v1/batches/{id}/resend</c>.
/// </summary>
public sealed class ResendBatch(IDbContextFactory<PortalDbContext> dbFactory, GuestInvitePolicy invitePolicy, TimeProvider time)
{
    /// <param name="Statuses">The rows to send again by status; none means the failed ones.</param>
    public sealed record Command(Guid BatchId, IReadOnlyCollection<InvitationStatus>? Statuses, bool ResetRedemption, string Actor)
    {
        public IReadOnlyCollection<InvitationStatus> Chosen => Statuses is { Count: > 0 } s ? s : [InvitationStatus.Failed];
    }

    /// <summary>Why the statuses cannot be sent again; null when they can.</summary>
    public static string? Problem(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var unsupported = command.Chosen.Where(x => x is not (InvitationStatus.Failed or InvitationStatus.Invited or InvitationStatus.Cancelled)).ToList();
        return unsupported.Count == 0 ? null : $"Only Failed, Invited (not yet accepted) and Cancelled rows can be sent again, not {string.Join(", ", unsupported)}.";
    }

    /// <summary>What an admin reads after <paramref name="requeued"/> rows of <paramref name="command"/> went back to the queue.</summary>
    public static string Message(Command command, int requeued)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Chosen.Contains(InvitationStatus.Invited)
            ? $"{Plural.Of(requeued, "guest")} who {Plural.Has(requeued)} not accepted yet will get a fresh invitation email."
            : $"{Plural.Of(requeued, "failed invitation")} queued again.";
    }

    /// <summary>The number of rows put back in the queue; null when there is no such batch.</summary>
    /// <exception cref="SubmissionRefusedException">The tenant would refuse every row; nothing was queued.</exception>
    public async Task<int?> HandleAsync(Command command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentException.ThrowIfNullOrWhiteSpace(command.Actor);
        var (batchId, _, resetRedemption, actor) = command;
        var statuses = command.Chosen;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Batches.AsNoTracking().Where(b => b.Id == batchId).Select(b => new { b.SenderObjectId }).FirstOrDefaultAsync(ct) is not { } batch)
        {
            return null;
        }

        if (batch.SenderObjectId is null)
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
        db.Audit(now, actor, "Resent", $"{Plural.Of(count, "invitation")} re-queued ({what}){(resetRedemption ? ", redemption reset" : string.Empty)}.", batchId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return count;
    }
}
