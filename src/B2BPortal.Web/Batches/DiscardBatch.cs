namespace B2BPortal.Web.Batches;

/// <summary>
/// Discard a batch under review: its rows stay for the record as Cancelled and are never sent. The review page's
/// "Discard" (after its confirmation) and <c>POST /api/v1/batches/{id}/discard</c>.
/// </summary>
public sealed class DiscardBatch(PortalDbContext db, TimeProvider time)
{
    public const string NotUnderReview = "Only a batch under review can be discarded; this one was already sent or discarded (or does not exist).";

    public sealed record Command(Guid BatchId, string Actor);

    /// <summary>What an admin reads afterwards.</summary>
    public static string Message(bool discarded) => discarded ? "Batch discarded; nothing was sent." : "Only a batch waiting for review can be discarded.";

    /// <summary>False when the batch was not under review (nothing changed).</summary>
    public async Task<bool> HandleAsync(Command command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.Batches.Where(b => b.Id == command.BatchId).TransitionAsync(BatchTransition.Discard, ct);
        if (changed == 0)
        {
            return false;
        }

        await db.Invitations.Where(i => i.BatchId == command.BatchId).DiscardAsync(now, ct);
        db.Audit(now, command.Actor, "Discarded", batchId: command.BatchId);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }
}
