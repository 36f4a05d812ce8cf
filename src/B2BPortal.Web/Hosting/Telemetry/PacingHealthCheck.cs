using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace B2BPortal.Web.Hosting.Telemetry;

/// <summary>
/// /readyz's view of the tenant's pacing: Healthy while sending, Degraded while Graph throttles or its abuse block
/// has paused the tenant, with the admin banner's sentence (and so Graph's reason) as the description.
/// </summary>
/// <remarks>Degraded, not Unhealthy: the instance itself is fine and must stay in rotation so an admin can resume.</remarks>
public sealed class PacingHealthCheck(TenantPacer pacer) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = await pacer.GetStateAsync(cancellationToken);
        var data = new Dictionary<string, object> { ["mode"] = state.Mode.ToString() };
        return state.Mode == PacingMode.Sending
            ? HealthCheckResult.Healthy(state.Description, data)
            : HealthCheckResult.Degraded(state.Description, data: data);
    }
}
