namespace B2BPortal.Web.Guests;

/// <summary>
/// Runs guest clean-up on a schedule in the worker role, when <c>Portal:Cleanup:Scheduled</c> is on and a rule is set
/// (both off by default), every <c>Portal:Cleanup:Interval</c>. Its removals share the tenant's write lane and stop
/// while the tenant is paused or throttled, like invitations; the next run continues where this one stopped.
/// </summary>
public sealed class GuestCleanupWorker(
    GuestCleanup cleanup,
    IOptionsMonitor<GuestCleanupOptions> options,
    TimeProvider time,
    ILogger<GuestCleanupWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var rules = options.CurrentValue;
                if (!rules.Scheduled || !rules.AnyRule)
                {
                    continue;
                }

                var running = await BackgroundCycle.RunAsync(
                    "guests.cleanup",
                    async ct =>
                    {
                        var result = await cleanup.RunAsync("system", ct);
                        logger.CleanupRan(result.Removed, result.Reinvited, result.Failures.Count, result.StoppedBecause ?? "-");
                    },
                    ex => logger.CleanupFailed(ex),
                    stoppingToken);
                if (!running)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
