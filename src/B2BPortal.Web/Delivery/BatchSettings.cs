using System.Collections.Concurrent;

namespace B2BPortal.Web.Delivery;

/// <summary>How a batch's rows are sent: who writes the email and which admin (if any) they go out as.</summary>
public sealed record BatchDelivery(InvitationEmail Email, string? SentAs, string? SenderObjectId, string? SenderTenantId)
{
    /// <summary>Sent as a person (delegated), not as the portal's application.</summary>
    public bool AsAdmin => SenderObjectId is not null && SenderTenantId is not null;
}

/// <summary>
/// Each batch's <see cref="BatchDelivery"/>, read once per batch per process: both are fixed when the batch is
/// submitted, before any of its rows can be claimed.
/// </summary>
public sealed class BatchSettings(IDbContextFactory<PortalDbContext> dbFactory)
{
    private readonly ConcurrentDictionary<Guid, BatchDelivery> _known = new();

    public async Task<BatchDelivery> OfAsync(Guid batchId, CancellationToken ct)
    {
        if (_known.TryGetValue(batchId, out var known))
        {
            return known;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var delivery = await db.Batches.Where(b => b.Id == batchId)
            .Select(b => new BatchDelivery(b.Email, b.SentAs, b.SenderObjectId, b.SenderTenantId))
            .FirstOrDefaultAsync(ct) ?? new BatchDelivery(InvitationEmail.Microsoft, null, null, null);
        _known[batchId] = delivery;
        return delivery;
    }
}
