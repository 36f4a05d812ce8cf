using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using B2BPortal.Web.Hosting.Telemetry;

namespace B2BPortal.Web.Tests.Telemetry;

/// <summary>
/// Records the portal meter's measurements of one host. Listens by the host's <see cref="IMeterFactory"/> (the
/// meter's scope), not only by name, because test classes run in parallel and each host has its own meter.
/// </summary>
internal sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Recorded> _recorded = new();

    public MetricsRecorder(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PortalTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments (the queue-depth gauge) now; their readings are recorded like the others.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    public IReadOnlyList<Recorded> Of(string instrument) => [.. _recorded.Where(r => r.Instrument == instrument)];

    /// <summary>The sum of a counter's measurements whose tags include every given pair.</summary>
    public double Sum(string instrument, params (string Key, object Value)[] tags) =>
        Of(instrument).Where(r => r.Has(tags)).Sum(r => r.Value);

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _recorded.Enqueue(new Recorded(instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));

    internal sealed record Recorded(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
    {
        public bool Has((string Key, object Value)[] tags) =>
            tags.All(t => Tags.TryGetValue(t.Key, out var value) && Equals(value, t.Value));
    }
}
