using B2BPortal.Web.Data;
using B2BPortal.Web.Delivery;
using B2BPortal.Web.Invitations;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace B2BPortal.Web.Pages;

/// <summary>The dashboard: totals, acceptance rate, pacing state and the batches that need attention.</summary>
public sealed class IndexModel(PortalDbContext db, BatchActions actions) : PageModel
{
    public StatusCounts Totals { get; private set; } = StatusCounts.From(new Dictionary<InvitationStatus, int>());

    public PacingState? Pacing { get; private set; }

    public IReadOnlyList<Batch> NeedsAttention { get; private set; } = [];

    public IReadOnlyList<Batch> Recent { get; private set; } = [];

    public double? AcceptanceRate => Totals.Invited + Totals.Accepted == 0 ? null : 100.0 * Totals.Accepted / (Totals.Invited + Totals.Accepted);

    public async Task OnGetAsync(CancellationToken ct)
    {
        var counts = await db.Invitations.AsNoTracking().GroupBy(i => i.Status)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        Totals = StatusCounts.From(counts.ToDictionary(c => c.Key, c => c.Count));
        Pacing = await actions.GetPacingStateAsync(ct);
        var failedBatchIds = db.Invitations.Where(i => i.Status == InvitationStatus.Failed).Select(i => i.BatchId).Distinct();
        NeedsAttention = await db.Batches.AsNoTracking()
            .Where(b => b.Status == BatchStatus.Review || failedBatchIds.Contains(b.Id))
            .OrderByDescending(b => b.UploadedAt).Take(10).ToListAsync(ct);
        Recent = await db.Batches.AsNoTracking().OrderByDescending(b => b.UploadedAt).Take(5).ToListAsync(ct);
    }
}
