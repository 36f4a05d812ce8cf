using B2BPortal.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace B2BPortal.Web.Invitations;

/// <summary>Counts per status for one batch (or all), and the one definition of progress the pages and the API show.</summary>
public sealed record StatusCounts(int Held, int Queued, int Sending, int Invited, int Accepted, int Failed, int Invalid, int Cancelled)
{
    public static readonly StatusCounts None = new(0, 0, 0, 0, 0, 0, 0, 0);

    public int Total => Held + Queued + Sending + Invited + Accepted + Failed + Invalid + Cancelled;

    /// <summary>Rows that go (or went) to Graph: everything but invalid ones.</summary>
    public int ToSend => Total - Invalid;

    /// <summary>Rows still to be sent or being sent.</summary>
    public int InFlight => Queued + Sending;

    /// <summary>Rows whose sending is over (sent, accepted, failed or cancelled).</summary>
    public int Processed => ToSend - Held - InFlight;

    /// <summary>The count of one status (the inverse of <see cref="From"/>).</summary>
    public int Of(InvitationStatus status) => status switch
    {
        InvitationStatus.Held => Held,
        InvitationStatus.Queued => Queued,
        InvitationStatus.Sending => Sending,
        InvitationStatus.Invited => Invited,
        InvitationStatus.Accepted => Accepted,
        InvitationStatus.Failed => Failed,
        InvitationStatus.Invalid => Invalid,
        InvitationStatus.Cancelled => Cancelled,
        _ => 0,
    };

    /// <summary>Sent (not under review) and nothing left to send; guests may still accept later.</summary>
    public bool IsDone(BatchStatus batch) => batch is not BatchStatus.Review && InFlight == 0;

    public static StatusCounts From(IReadOnlyDictionary<InvitationStatus, int> counts)
    {
        int Get(InvitationStatus status) => counts.TryGetValue(status, out var n) ? n : 0;
        return new StatusCounts(
            Get(InvitationStatus.Held),
            Get(InvitationStatus.Queued),
            Get(InvitationStatus.Sending),
            Get(InvitationStatus.Invited),
            Get(InvitationStatus.Accepted),
            Get(InvitationStatus.Failed),
            Get(InvitationStatus.Invalid),
            Get(InvitationStatus.Cancelled));
    }
}

/// <summary>Read queries shared by the pages and the API; all paged or aggregated, never whole tables.</summary>
public static class BatchQueries
{
    public const int MaxPageSize = 200;

    public static async Task<StatusCounts> CountsAsync(this PortalDbContext db, Guid batchId, CancellationToken ct)
    {
        var rows = await db.Invitations.AsNoTracking()
            .Where(i => i.BatchId == batchId)
            .GroupBy(i => i.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        return StatusCounts.From(rows.ToDictionary(r => r.Status, r => r.Count));
    }

    public static (int Page, int PageSize) Clamp(int? page, int? pageSize, int defaultSize = 50) =>
        (Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? defaultSize, 1, MaxPageSize));

    public static IQueryable<Invitation> InvitationsOf(this PortalDbContext db, Guid batchId, InvitationStatus? status, string? search)
    {
        var query = db.Invitations.AsNoTracking().Where(i => i.BatchId == batchId);
        if (status is { } s)
        {
            query = query.Where(i => i.Status == s);
        }

        if (QueryText.Clean(search) is { } cleaned)
        {
            var term = cleaned.ToLowerInvariant();
            query = query.Where(i => i.NormalizedEmail.Contains(term) || (i.DisplayName != null && i.DisplayName.ToLower().Contains(term)));
        }

        return query.OrderBy(i => i.RowNumber);
    }
}
