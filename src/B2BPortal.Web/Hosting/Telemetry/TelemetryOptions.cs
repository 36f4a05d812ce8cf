namespace B2BPortal.Web.Hosting.Telemetry;

/// <summary>The <c>Telemetry</c> section. OTLP is not here: it follows the standard <c>OTEL_*</c> variables.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Serves <c>/metrics</c> for a Prometheus scraper (see <see cref="TelemetrySetup.MapPortalMetrics"/> for who may read it).</summary>
    public bool Prometheus { get; set; }

    /// <summary>
    /// How long one read of the queue depth is reused: each scrape or OTLP export would otherwise count the
    /// outstanding rows again, and every instance reports the same shared table.
    /// </summary>
    public TimeSpan QueueDepthCache { get; set; } = TimeSpan.FromSeconds(5);
}
