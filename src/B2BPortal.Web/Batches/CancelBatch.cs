namespace B2BPortal.Web.Batches;

/// <summary>
/// Cancel what is still queued in a batch: Queued rows become Cancelled (they can be re-sent later); a row already with
/// Graph finishes, and one that comes back from its worker (transient failure, shutdown) becomes Cancelled instead of
/// Queued. The batch page's "Cancel N queued…" (after its confirmation) and <c>POST /api/v1/batches/{id}/cancel</c>.
/// </summary>
public sealed class CancelBatch(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    public sealed record Command(Guid BatchId, string Actor);

    /// <summary>What an admin reads afterwards.</summary>
    public static string Message(int cancelled) => $"{Plural.Of(cancelled, "queued invitation")} cancelled. Invitations already sent stay sent.";

    /// <summary>How many rows were queued and are now cancelled; null when there is no such batch.</summary>
    public async Task<int?> HandleAsync(Command command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentException.ThrowIfNullOrWhiteSpace(command.Actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Batches.AnyAsync(b => b.Id == command.BatchId, ct))
        {
            return null;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        // The batch first: a worker that hands back a row in flight reads the batch's status (InvitationLifecycle.Release).
        await db.Batches.Where(b => b.Id == command.BatchId).TransitionAsync(BatchTransition.Cancel, ct);
        var count = await db.Invitations.Where(i => i.BatchId == command.BatchId).CancelAsync(now, ct);
        db.Audit(now, command.Actor, "Cancelled", $"{Plural.Of(count, "queued invitation")} cancelled.", command.BatchId);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return count;
    }
}
