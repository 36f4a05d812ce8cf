namespace B2BPortal.Web.Batches;

/// <summary>
/// Send a batch under review: its valid rows go to the queue, sent as the signed-in admin or, as an explicit choice, as
/// the portal's application. The review page's "Send" and <c>POST /api/v1/batches/{id}/submit</c>.
/// </summary>
public sealed class SendBatch(PortalDbContext db, GuestInvitePolicy invitePolicy, TimeProvider time)
{
    public const string NotUnderReview = "Only a batch under review can be sent; this one was already sent or discarded (or does not exist).";

    /// <param name="Sender">The admin it is sent as; null sends it as the portal's application.</param>
    public sealed record Command(Guid BatchId, string Actor, BatchSender? Sender);

    /// <summary>The <c>sendAs</c> of the API and the review form: <c>me</c> (or nothing) or <c>app</c>.</summary>
    public static bool AsApplication(string? sendAs) => sendAs == "app";

    /// <summary>Why a <c>sendAs</c> value is not understood; null when it is.</summary>
    public static string? SendAsProblem(string? sendAs) => sendAs is null or "" or "app" or "me"
        ? null
        : $"Unknown sendAs '{sendAs}': use sendAs=me (the signed-in admin, the default in a browser) or sendAs=app (the portal's application).";

    /// <summary>What an admin reads after sending <paramref name="queued"/> rows (null: the batch was not under review).</summary>
    public static string Message(int? queued, bool asApplication) => queued is { } n
        ? $"{Plural.Of(n, "invitation")} queued for sending{(asApplication ? " as the portal's application" : "")}."
        : "This batch was already sent or discarded.";

    /// <summary>Queues the valid rows of a batch under review. Returns the number queued, or null when the batch is not under review.</summary>
    /// <exception cref="SubmissionRefusedException">The tenant would refuse every row; nothing was queued.</exception>
    public async Task<int?> HandleAsync(Command command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var (batchId, actor, sender) = command;
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
        db.Audit(now, actor, "Submitted", $"{Plural.Of(queued, "invitation")} queued", batchId);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return queued;
    }
}
