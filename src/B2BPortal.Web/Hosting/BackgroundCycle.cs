using B2BPortal.Web.Hosting.Telemetry;

namespace B2BPortal.Web.Hosting;

/// <summary>
/// One cycle of a periodic background job (redemption tracking, guest clean-up) inside its own trace. Shutdown ends the
/// job; any other failure is the job's to log, and the next cycle tries again (a database restart, a Graph outage).
/// </summary>
internal static class BackgroundCycle
{
    /// <returns>False when the host is stopping, so the job's loop ends; true otherwise, failed or not.</returns>
    public static async Task<bool> RunAsync(
        string activityName, Func<CancellationToken, Task> cycle, Action<Exception> failed, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(failed);
        try
        {
            using var activity = PortalTelemetry.Source.StartActivity(activityName);
            await cycle(stoppingToken);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
#pragma warning disable CA1031 // The next cycle tries again.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failed(ex);
            return true;
        }
    }
}
