using System.Collections.Concurrent;
using B2BPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace B2BPortal.Web.Delivery.Email;

/// <summary>Who writes each batch's email, read once per batch per process (it is fixed at upload).</summary>
public sealed class BatchEmailModes(IDbContextFactory<PortalDbContext> dbFactory)
{
    private readonly ConcurrentDictionary<Guid, InvitationEmail> _known = new();

    public async Task<InvitationEmail> OfAsync(Guid batchId, CancellationToken ct)
    {
        if (_known.TryGetValue(batchId, out var mode))
        {
            return mode;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        mode = await db.Batches.Where(b => b.Id == batchId).Select(b => b.Email).FirstOrDefaultAsync(ct);
        _known[batchId] = mode;
        return mode;
    }
}
