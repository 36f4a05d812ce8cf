namespace B2BPortal.Web.Delivery;

/// <summary>
/// The worker role's sender: <see cref="DeliveryOptions.WorkerCount"/> loops that claim a few due rows at a time and
/// take each to its outcome. Any number of instances may run against one database.
/// </summary>
/// <remarks>
/// Shutdown: when the host stops, no more rows are claimed and claimed-but-unstarted rows go straight back to the
/// queue; a row whose Graph call is in flight is finished, unless the host's shutdown timeout runs out first, in
/// which case the call is abandoned and the row released (its retry will look the guest up before inviting).
/// </remarks>
public sealed class InvitationDispatcher(
    InvitationQueue queue, InvitationProcessor processor, TenantPacer pacer, IOptions<DeliveryOptions> options,
    TimeProvider time, ILogger<InvitationDispatcher> logger) : BackgroundService
{
    private readonly DeliveryOptions _options = options.Value;
    private readonly CancellationTokenSource _abort = new();
    private readonly Guid _run = Guid.NewGuid();

    /// <summary>
    /// Names this process in LeaseOwner: the instance's stable name, then this run (no personal data). Rows leased under
    /// the same name by an earlier run are that run's leftovers (kill -9) and are taken back at start.
    /// </summary>
    public string InstanceId => $"{InstancePrefix}{Machine}:{Environment.ProcessId}@{OwnStart.Value}:{Run}";

    /// <summary>This process's start (0 where the platform will not say: its rows are then left to their leases).</summary>
    private static readonly Lazy<long> OwnStart = new(() =>
    {
        try
        {
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            return StartedAt(self);
        }
#pragma warning disable CA1031 // Any failure to read it only costs the fast take-back after a crash.
        catch (Exception)
#pragma warning restore CA1031
        {
            return 0;
        }
    });

    private static string Machine => Environment.MachineName[..Math.Min(32, Environment.MachineName.Length)];

    private string Run => _run.ToString("N")[..12];

    /// <summary>A process's start in Unix seconds: with the pid it tells a process from a later one that reused its pid.</summary>
    private static long StartedAt(System.Diagnostics.Process process) => new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeSeconds();

    /// <summary>The stable part of <see cref="InstanceId"/>, ending in '#'.</summary>
    public string InstancePrefix
    {
        get
        {
            var name = string.IsNullOrWhiteSpace(_options.InstanceName) ? Environment.MachineName : _options.InstanceName.Trim();
            return $"{name[..Math.Min(32, name.Length)]}#";
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host's shutdown timeout ends the grace period for calls already in flight.
        await using var registration = cancellationToken.Register(_abort.Cancel);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await TakeBackLeftoversAsync(stoppingToken);
        var workers = Enumerable.Range(0, Math.Max(1, _options.WorkerCount))
            .Select(i => RunWorkerAsync($"{InstanceId}/{i}", stoppingToken));
        await Task.WhenAll(workers);
    }

    /// <summary>
    /// Whether the run that leased a row under this instance's name is gone: on this machine, its process no longer
    /// exists (two processes of one instance name on one machine are both alive and leave each other alone); on another
    /// machine (the instance moved, e.g. a new container), it is taken for gone. Unreadable owners are left to their leases.
    /// </summary>
    private bool IsDeadRun(string owner)
    {
        var run = owner[InstancePrefix.Length..].Split('/')[0].Split(':');
        var process = run.Length == 3 ? run[1].Split('@') : [];
        if (process.Length != 2
            || !int.TryParse(process[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(process[1], NumberStyles.None, CultureInfo.InvariantCulture, out var started)
            || started == 0
            || run[2] == Run)
        {
            return false;
        }

        if (!string.Equals(run[0], Machine, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            // Gone, or its pid now belongs to a later process (a container's restarted entry point is pid 1 again).
            using var alive = System.Diagnostics.Process.GetProcessById(pid);
            // A second of tolerance: each process derives start times from its own reading of the boot time.
            return alive.HasExited || Math.Abs(StartedAt(alive) - started) > 1;
        }
        catch (ArgumentException)
        {
            return true;
        }
#pragma warning disable CA1031 // Cannot tell (permissions): leave the rows to their leases.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    /// <summary>
    /// Rows an earlier run of this instance held when it died go back to the queue now, not when their leases expire;
    /// the attempt counts, so the retry looks the guest up before inviting (it may have reached Graph).
    /// </summary>
    private async Task TakeBackLeftoversAsync(CancellationToken stoppingToken)
    {
        try
        {
            var taken = await queue.ReleaseLeftoversAsync(InstancePrefix, IsDeadRun, stoppingToken);
            if (taken > 0)
            {
                logger.TookBackLeftovers(taken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // The database may be down at start: those rows are still adopted when their leases expire.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.DispatcherWorkerFailed(ex);
        }
    }

    private async Task RunWorkerAsync(string owner, CancellationToken stopping)
    {
        await Task.Yield();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var gate = await pacer.CheckAsync(stopping);
                if (gate.Mode == PacingMode.Paused)
                {
                    await IdleAsync(stopping);
                    continue;
                }

                var rows = await queue.ClaimAsync(owner, Math.Max(1, _options.ClaimBatchSize), stopping);
                if (rows.Count == 0)
                {
                    await IdleAsync(stopping);
                    continue;
                }

                await ProcessClaimAsync(rows, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // A worker outlives any one failure (database restart, bug in one row); leases recover the rows.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.DispatcherWorkerFailed(ex);
                await IdleAsync(stopping);
            }
        }
    }

    private async Task ProcessClaimAsync(IReadOnlyList<Data.ClaimedInvitation> rows, CancellationToken stopping)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (stopping.IsCancellationRequested)
            {
                await queue.ReleaseAsync(row, countAttempt: false, nextAttemptAt: null, CancellationToken.None);
                continue;
            }

            // Later rows of a claim may have waited for pacing; keep their leases from running out underfoot.
            if (row.Row.LeaseExpiresAt - time.GetUtcNow().UtcDateTime < _options.LeaseDuration * 0.75
                && !await queue.RenewAsync(row, _abort.Token))
            {
                continue;
            }

            // One trace per row: its database writes and Graph requests are the span's children.
            using var activity = PortalTelemetry.Source.StartActivity("invitation.process")?
                .SetTag("b2bportal.invitation.id", row.Id).SetTag("b2bportal.batch.id", row.Row.BatchId).SetTag("b2bportal.invitation.attempt", row.Row.Attempts);
            try
            {
                await processor.ProcessAsync(row, stopping, _abort.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.GetType().Name);
                // The row keeps its lease and is retried when it expires (it will be looked up first).
                logger.InvitationNotProcessed(ex, row.Id);
            }
        }
    }

    private async Task IdleAsync(CancellationToken stopping)
    {
#pragma warning disable CA5394 // Jitter keeps idle workers from polling in lockstep.
        var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, Math.Max(1, (int)(_options.IdleDelay.TotalMilliseconds / 2))));
#pragma warning restore CA5394
        try
        {
            await Task.Delay(_options.IdleDelay + jitter, time, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
