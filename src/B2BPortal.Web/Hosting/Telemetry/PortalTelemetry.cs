using System.Diagnostics;

namespace B2BPortal.Web.Hosting.Telemetry;

/// <summary>The names the portal's own telemetry is published under; README "Telemetry" lists what each carries.</summary>
public static class PortalTelemetry
{
    /// <summary>The one <see cref="System.Diagnostics.Metrics.Meter"/> and <see cref="ActivitySource"/> name.</summary>
    public const string Name = "B2BPortal";

    /// <summary>
    /// Spans for work no request carries: the dispatcher's per-row processing and the tracker's cycles. Static, as
    /// <see cref="ActivitySource"/> has no DI factory; starting a span costs nothing while nobody listens.
    /// </summary>
    public static readonly ActivitySource Source = new(Name);
}
