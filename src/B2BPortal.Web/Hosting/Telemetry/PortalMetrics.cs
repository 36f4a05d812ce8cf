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
    private readonly Histogram<double> _graphDuration;
    private readonly Histogram<double> _pacingWait;
    private readonly Histogram<double> _retryAfter;
    private readonly Counter<long> _pauses;
    private readonly Counter<long> _trackerCycles;
    private readonly Counter<long> _trackerAccepted;
    private readonly Counter<long> _trackerRequests;
    private readonly Counter<long> _uploadRows;
    private readonly Counter<long> _emails;
    private readonly Histogram<double> _uploadDuration;
    private readonly Histogram<double> _uploadRate;

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
        _pacingWait = meter.CreateHistogram(
            "b2bportal.pacing.wait.duration", "s", "Time a worker waited for an invitation slot (tenant rate and Retry-After).",
            advice: Buckets(0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60));
        _retryAfter = meter.CreateHistogram(
            "b2bportal.pacing.retry_after.duration", "s", "Retry-After pauses Graph asked for; every instance stops calling for this long.",
            advice: Buckets(1, 2, 5, 10, 30, 60, 120, 300, 600));
        _pauses = meter.CreateCounter<long>(
            "b2bportal.pacing.pauses", "{pause}", "Times Graph's abuse block paused sending for the whole tenant.");
        _trackerCycles = meter.CreateCounter<long>("b2bportal.tracker.cycles", "{cycle}", "Redemption tracker cycles run.");
        _trackerAccepted = meter.CreateCounter<long>("b2bportal.tracker.accepted", "{invitation}", "Invitations the tracker found accepted.");
        _trackerRequests = meter.CreateCounter<long>("b2bportal.tracker.graph_requests", "{request}", "Graph HTTP requests the tracker spent.");
        _uploadRows = meter.CreateCounter<long>("b2bportal.upload.rows", "{row}", "Rows of uploaded files stored, by validity (valid, invalid).");
        _emails = meter.CreateCounter<long>(
            "b2bportal.emails", "{email}", "The portal's own invitation emails by outcome (sent, retried, refused, unknown).");
        _uploadDuration = meter.CreateHistogram(
            "b2bportal.upload.duration", "s", "Time to read, validate and store one uploaded file.",
            advice: Buckets(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60));
        _uploadRate = meter.CreateHistogram(
            "b2bportal.upload.rate", "{row}/s", "Rows per second of one uploaded file, read to stored.",
            advice: Buckets(100, 500, 1000, 2500, 5000, 10_000, 25_000, 50_000, 100_000));
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

    public void PacingWait(TimeSpan waited) => _pacingWait.Record(waited.TotalSeconds);

    public void RetryAfter(TimeSpan pause) => _retryAfter.Record(Math.Max(0, pause.TotalSeconds));

    public void TenantPaused() => _pauses.Add(1);

    public void TrackerCycle(TrackerCycle cycle)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        _trackerCycles.Add(1);
        _trackerAccepted.Add(cycle.Accepted);
        _trackerRequests.Add(cycle.GraphRequests);
    }

    public void Upload(Batch batch, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _uploadRows.Add(batch.ValidRows, new KeyValuePair<string, object?>("validity", "valid"));
        _uploadRows.Add(batch.InvalidRows, new KeyValuePair<string, object?>("validity", "invalid"));
        _uploadDuration.Record(elapsed.TotalSeconds);
        if (elapsed > TimeSpan.Zero)
        {
            _uploadRate.Record(batch.TotalRows / elapsed.TotalSeconds);
        }
    }

    // The SDK's default boundaries (0, 5, 10, 25 … 10000) suit milliseconds; these instruments are in seconds or rows/s.
    private static InstrumentAdvice<double> Buckets(params double[] boundaries) => new() { HistogramBucketBoundaries = boundaries };
}
