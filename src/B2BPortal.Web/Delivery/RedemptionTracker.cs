namespace B2BPortal.Web.Delivery;

/// <summary>
/// Follows Invited rows until the guest accepts (Invited → Accepted with AcceptedAt), with few Graph requests.
/// </summary>
/// <remarks>
/// Each cycle takes the cheaper of two reads:
/// <list type="bullet">
/// <item>by id: <c>$filter=id in (15 ids)</c>, 20 such requests per <c>$batch</c> → ⌈waiting / 300⌉ HTTP requests;</item>
/// <item>by state: every accepted guest of the tenant, <c>$filter=externalUserState eq 'Accepted'</c>, 999 per page →
/// ⌈accepted guests / 999⌉ requests, whatever the number waiting.</item>
/// </list>
/// The by-state cost is estimated from the previous by-state read (1 page before the first). 50,000 waiting guests
/// cost 167 requests by id but 1 + accepted/999 by state: about 51 even once all 50,000 have accepted. After the first
/// by-state read, later ones are incremental (<c>externalUserStateChangeDateTime ge</c> the previous read's start minus
/// <see cref="IncrementalOverlap"/>), usually one request, with a full read every <see cref="FullScanInterval"/>.
/// </remarks>
public sealed class RedemptionTracker : BackgroundService
{
    private const int UpdateChunk = 500;

    private readonly IDbContextFactory<PortalDbContext> _dbFactory;
    private readonly GraphGateway _graph;
    private readonly TenantPacer _pacer;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger<RedemptionTracker> _logger;
    private readonly PortalMetrics _metrics;
    /// <summary>An incremental by-state read looks back this far before the previous read began (clock skew, replication).</summary>
    internal static readonly TimeSpan IncrementalOverlap = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A full by-state read at least this often: a row can wait for a guest whose acceptance is older than the
    /// incremental window (an invitation of someone who had accepted long before).
    /// </summary>
    internal static readonly TimeSpan FullScanInterval = TimeSpan.FromHours(1);

    private int _lastScanPages = 1;
    private DateTime? _changedSince;
    private DateTime _lastFullScan = DateTime.MinValue;

    public RedemptionTracker(
        IDbContextFactory<PortalDbContext> dbFactory,
        GraphGateway graph,
        TenantPacer pacer,
        IOptions<DeliveryOptions> options,
        TenantConnectionResolver tenant,
        TimeProvider time,
        ILogger<RedemptionTracker> logger,
        PortalMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tenant);
        _dbFactory = dbFactory;
        _graph = graph;
        _pacer = pacer;
        _interval = options.Value.EffectiveTrackerInterval(tenant.Simulated);
        _time = time;
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>One tracker cycle: reads Graph and records acceptances. Returns what it found and what it cost.</summary>
    public async Task<TrackerCycle> RunCycleAsync(CancellationToken ct)
    {
        var gate = await _pacer.CheckAsync(ct);
        if (gate.Mode == PacingMode.Throttled)
        {
            return new TrackerCycle(0, 0, 0);
        }

        await using var db = await _dbFactory.CreateDbContextAsync(ct);
        var waiting = await db.Invitations.AsNoTracking()
            .Where(i => i.Status == InvitationStatus.Invited && i.GraphUserId != null)
            .Select(i => new { i.Id, i.GraphUserId })
            .ToListAsync(ct);
        if (waiting.Count == 0)
        {
            return new TrackerCycle(0, 0, 0);
        }

        var byIdCost = (waiting.Count + (GraphGateway.IdsPerFilter * GraphGateway.RequestsPerBatch) - 1)
            / (GraphGateway.IdsPerFilter * GraphGateway.RequestsPerBatch);
        RedemptionRead read;
        if (byIdCost <= _lastScanPages)
        {
            read = await _graph.GetRedemptionStatesAsync(waiting.Select(w => w.GraphUserId!).Distinct().ToList(), ct);
        }
        else
        {
            // After one full read, only guests whose state changed since the previous read (minus an overlap).
            var started = _time.GetUtcNow().UtcDateTime;
            var full = _changedSince is null || started - _lastFullScan >= FullScanInterval;
            read = await _graph.GetAcceptedGuestsAsync(full ? null : _changedSince, ct);
            if (read.Failure is null)
            {
                _lastScanPages = Math.Max(1, read.Requests);
                _changedSince = started - IncrementalOverlap;
                if (full)
                {
                    _lastFullScan = started;
                }
            }
        }

        if (read.Failure is Throttled throttled)
        {
            await _pacer.RecordRetryAfterAsync(throttled.RetryAfter, ct);
        }

        var now = _time.GetUtcNow().UtcDateTime;
        var accepted = waiting.Where(w => read.Accepted.ContainsKey(w.GraphUserId!)).ToList();
        var changed = 0;

        // Group by acceptance time so each UPDATE sets one value; in practice most share none or few times.
        foreach (var group in accepted.GroupBy(w => read.Accepted[w.GraphUserId!] ?? now))
        {
            foreach (var chunk in group.Select(w => w.Id).Chunk(UpdateChunk))
            {
                var acceptedAt = group.Key;
                changed += await db.Invitations.Where(i => chunk.Contains(i.Id)).AcceptAsync(acceptedAt, now, ct);
            }
        }

        return new TrackerCycle(waiting.Count, changed, read.Requests);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        do
        {
            var running = await BackgroundCycle.RunAsync(
                "redemption.cycle",
                async ct =>
                {
                    var cycle = await RunCycleAsync(ct);
                    _metrics.TrackerCycle(cycle);
                    if (cycle.Accepted > 0)
                    {
                        _logger.RedemptionsAccepted(cycle.Accepted, cycle.Waiting, cycle.GraphRequests);
                    }
                },
                ex => _logger.TrackerCycleFailed(ex),
                stoppingToken);
            if (!running)
            {
                break;
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>One tracker cycle: rows waiting, rows that became Accepted, Graph HTTP requests spent.</summary>
public sealed record TrackerCycle(int Waiting, int Accepted, int GraphRequests);
