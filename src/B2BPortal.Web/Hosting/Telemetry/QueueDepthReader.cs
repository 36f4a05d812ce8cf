using System.Diagnostics.Metrics;

namespace B2BPortal.Web.Hosting.Telemetry;

/// <summary>
/// The <c>b2bportal.queue.depth</c> gauge's reading: one grouped count of the outstanding statuses, reused for
/// <see cref="TelemetryOptions.QueueDepthCache"/>.
/// </summary>
/// <remarks>
/// Only statuses that are work still to do are counted (Held, Queued, Sending, Invited): each is a range of the
/// status index proportional to the work outstanding, while Accepted, Failed, Cancelled and Invalid grow with
/// history and would make every collection count the whole table. Their totals are on the dashboard; their rates
/// are <c>b2bportal.invitations</c>. Every instance reads the same table, so aggregate with max, not sum.
/// </remarks>
public sealed class QueueDepthReader(
    IDbContextFactory<PortalDbContext> dbFactory, IOptions<TelemetryOptions> options, TimeProvider time, ILogger<QueueDepthReader> logger)
{
    internal static readonly InvitationStatus[] Outstanding =
        [InvitationStatus.Held, InvitationStatus.Queued, InvitationStatus.Sending, InvitationStatus.Invited];

    private static readonly string[] StatusTags = [.. Outstanding.Select(s => s.ToString())];

    private readonly Lock _gate = new();
    private Measurement<long>[] _last = [];
    private long? _readAt;

    /// <summary>The gauge callback: synchronous (the metrics API has no async callbacks), hence the cache.</summary>
    public IEnumerable<Measurement<long>> Observe()
    {
        lock (_gate)
        {
            if (_readAt is { } readAt && time.GetElapsedTime(readAt) < options.Value.QueueDepthCache)
            {
                return _last;
            }

            try
            {
                _last = Read();
            }
#pragma warning disable CA1031 // A database outage must not break the export of every other metric; /readyz reports it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                // No reading rather than a stale one: a gap in the series is honest about not knowing.
                logger.QueueDepthUnreadable(ex);
                _last = [];
            }

            _readAt = time.GetTimestamp();
            return _last;
        }
    }

    private Measurement<long>[] Read()
    {
        using var db = dbFactory.CreateDbContext();
        var counts = db.Invitations.AsNoTracking()
            .Where(i => Outstanding.Contains(i.Status))
            .GroupBy(i => i.Status)
            .Select(g => new { Status = g.Key, Count = g.Count() })
            .ToDictionary(c => c.Status, c => c.Count);

        // Zeros are reported too, so a drained status drops to 0 instead of vanishing from the series.
        return [.. Outstanding.Select((status, i) => new Measurement<long>(
            counts.GetValueOrDefault(status), new KeyValuePair<string, object?>("status", StatusTags[i])))];
    }
}
