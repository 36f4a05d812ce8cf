using System.Security.Cryptography;
using B2BPortal.Web.Delivery.Email;

namespace B2BPortal.Web.Invitations;

/// <summary>
/// A new batch and its rows written in one transaction (the batch, its audit entries, every row by the bulk writer), so
/// a failure leaves nothing half-stored. Shared by every way a batch is made: an upload, a single invitation and an
/// approved access request.
/// </summary>
public sealed class BatchStore(PortalDbContext db, IOptions<InvitationEmailOptions> emailOptions, TimeProvider time, ILogger<BatchStore> logger)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// A batch made now, in review; its email written by <paramref name="email"/> (null: the configured writer), sent as
    /// <paramref name="sender"/> when one is given (otherwise app-only).
    /// </summary>
    public Batch New(string fileName, BatchFormat format, string actor, InvitationEmail? email, BatchSender? sender) => new()
    {
        Id = Guid.CreateVersion7(),
        FileName = fileName,
        Sha256 = "",
        UploadedBy = actor,
        UploadedAt = time.GetUtcNow().UtcDateTime,
        Status = BatchStatus.Review,
        Format = format,
        Email = email ?? emailOptions.Value.Email,
        SentAs = sender?.UserPrincipalName,
        SenderObjectId = sender?.ObjectId,
        SenderTenantId = sender?.TenantId,
    };

    /// <summary>The fingerprint of rows given field by field (no file was read): the SHA-256 of their JSON.</summary>
    public static string Sha256Of<T>(T rows) => Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(rows, JsonOptions)));

    /// <summary>
    /// Stores <paramref name="batch"/> with its rows and counts, audited as uploaded by <paramref name="actor"/>; with
    /// <paramref name="submit"/> its valid rows are queued at once (and that is audited too), otherwise they are Held for review.
    /// </summary>
    public async Task StoreAsync(Batch batch, List<Invitation> invitations, string actor, bool submit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(invitations);
        batch.TotalRows = invitations.Count;
        batch.InvalidRows = invitations.Count(i => i.Status == InvitationStatus.Invalid);
        batch.ValidRows = batch.TotalRows - batch.InvalidRows;
        var now = batch.UploadedAt;
        foreach (var invitation in invitations)
        {
            // Valid rows of a batch under review are Held until "Send": the queue only claims Queued rows.
            invitation.Status = InvitationLifecycle.Created(invitation.Status != InvitationStatus.Invalid, submit);
            invitation.QueuedAt = invitation.Status == InvitationStatus.Queued ? now : null;
        }

        if (submit)
        {
            batch.Status = BatchStatus.Submitted;
            batch.SubmittedAt = now;
            batch.SubmittedBy = actor;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        db.Batches.Add(batch);
        db.Audit(now, actor, "Uploaded", $"{batch.FileName}: {Plural.Of(batch.TotalRows, "row")}, {batch.ValidRows:N0} valid, {batch.InvalidRows:N0} invalid", batch.Id);
        if (submit)
        {
            db.Audit(now, actor, "Submitted", $"{Plural.Of(batch.ValidRows, "invitation")} queued", batch.Id);
        }

        await db.SaveChangesAsync(ct);
        await InvitationBulkWriter.InsertAsync(db, invitations, ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Stored batch {BatchId}: {Total} rows, {Valid} valid, submitted {Submitted}", batch.Id, batch.TotalRows, batch.ValidRows, submit);
    }
}
