using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace B2BPortal.Web.Hosting.Telemetry;

/// <summary>
/// The portal's own instruments on the one <see cref="PortalTelemetry.Name"/> meter. Tags carry only statuses,
/// outcomes and Graph operation templates, never an address, a name or an id, so no personal data reaches a
/// metrics backend and the number of series stays fixed.
/// </summary>
public sealed class PortalMetrics
{
    private static readonly string[] OutcomeTags = [.. Enum.GetNames<InvitationOutcome>().Select(n => n.ToLowerInvariant())];

    private readonly Counter<long> _invitations;
    private readonly Counter<long> _emails;
    private readonly Histogram<double> _graphDuration;

    // Grouped as operators read them: the tenant's pacing, the redemption tracker, uploads.
    private readonly (Histogram<double> Wait, Histogram<double> RetryAfter, Counter<long> Pauses) _pacing;
    private readonly (Counter<long> Cycles, Counter<long> Accepted, Counter<long> GraphRequests) _tracker;
    private readonly (Counter<long> Rows, Histogram<double> Duration, Histogram<double> Rate) _upload;

    public PortalMetrics(IMeterFactory meters, QueueDepthReader queueDepth)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(queueDepth);
        var meter = meters.Create(PortalTelemetry.Name);
        _invitations = meter.CreateCounter<long>(
            "b2bportal.invitations", "{invitation}", "Dispatcher attempts by outcome (invited, adopted, failed, retried, throttled, paused).");
        meter.CreateObservableGauge(
            "b2bportal.queue.depth", queueDepth.Observe, "{invitation}", "Outstanding invitations by status (Held, Queued, Sending, Invited), shared by all instances.");
        _graphDuration = meter.CreateHistogram(
            "b2bportal.graph.request.duration", "s", "Microsoft Graph HTTP requests by operation and status.",
            advice: Buckets(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30));
        _emails = meter.CreateCounter<long>(
            "b2bportal.emails", "{email}", "The portal's own invitation emails by outcome (sent, retried, refused, unknown).");
        _pacing = (
            meter.CreateHistogram(
                "b2bportal.pacing.wait.duration", "s", "Time a worker waited for an invitation slot (tenant rate and Retry-After).",
                advice: Buckets(0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)),
            meter.CreateHistogram(
                "b2bportal.pacing.retry_after.duration", "s", "Retry-After pauses Graph asked for; every instance stops calling for this long.",
                advice: Buckets(1, 2, 5, 10, 30, 60, 120, 300, 600)),
            meter.CreateCounter<long>("b2bportal.pacing.pauses", "{pause}", "Times Graph's abuse block paused sending for the whole tenant."));
        _tracker = (
            meter.CreateCounter<long>("b2bportal.tracker.cycles", "{cycle}", "Redemption tracker cycles run."),
            meter.CreateCounter<long>("b2bportal.tracker.accepted", "{invitation}", "Invitations the tracker found accepted."),
            meter.CreateCounter<long>("b2bportal.tracker.graph_requests", "{request}", "Graph HTTP requests the tracker spent."));
        _upload = (
            meter.CreateCounter<long>("b2bportal.upload.rows", "{row}", "Rows of uploaded files stored, by validity (valid, invalid)."),
            meter.CreateHistogram(
                "b2bportal.upload.duration", "s", "Time to read, validate and store one uploaded file.",
                advice: Buckets(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)),
            meter.CreateHistogram(
                "b2bportal.upload.rate", "{row}/s", "Rows per second of one uploaded file, read to stored.",
                advice: Buckets(100, 500, 1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000)));
    }

    /// <summary>Counts one dispatcher outcome and tags the row's span with it.</summary>
    public void Invitation(InvitationOutcome outcome)
    {
        var tag = OutcomeTags[(int)outcome];
        _invitations.Add(1, new KeyValuePair<string, object?>("outcome", tag));
        Activity.Current?.SetTag("b2bportal.invitation.outcome", tag);
    }

    /// <param name="operation">Method and path template, e.g. <c>POST /invitations</c> (<see cref="GraphOperation"/>).</param>
    /// <param name="status">The HTTP status, or null when no response came (then <paramref name="errorType"/> says why).</param>
    public void GraphRequest(string operation, int? status, string? errorType, TimeSpan elapsed)
    {
        var tags = new TagList { { "graph.operation", operation } };
        if (status is { } code)
        {
            tags.Add("http.response.status_code", code);
        }

        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        _graphDuration.Record(elapsed.TotalSeconds, tags);
    }

    /// <summary>One outcome of the portal's email stage: sent, retried, refused or unknown (its answer was lost).</summary>
    public void Email(string outcome) => _emails.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void PacingWait(TimeSpan waited) => _pacing.Wait.Record(waited.TotalSeconds);

    public void RetryAfter(TimeSpan pause) => _pacing.RetryAfter.Record(Math.Max(0, pause.TotalSeconds));

    public void TenantPaused() => _pacing.Pauses.Add(1);

    public void TrackerCycle(TrackerCycle cycle)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        _tracker.Cycles.Add(1);
        _tracker.Accepted.Add(cycle.Accepted);
        _tracker.GraphRequests.Add(cycle.GraphRequests);
    }

    public void Upload(Batch batch, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _upload.Rows.Add(batch.ValidRows, new KeyValuePair<string, object?>("validity", "valid"));
        _upload.Rows.Add(batch.InvalidRows, new KeyValuePair<string, object?>("validity", "invalid"));
        _upload.Duration.Record(elapsed.TotalSeconds);
        if (elapsed > TimeSpan.Zero)
        {
            _upload.Rate.Record(batch.TotalRows / elapsed.TotalSeconds);
        }
    }

    // The SDK's default boundaries (0, 5, 10, 25 … 10000) suit milliseconds; these instruments are in seconds or rows/s.
    private static InstrumentAdvice<double> Buckets(params double[] boundaries) => new() { HistogramBucketBoundaries = boundaries };
}
