using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;

namespace Events.Silo.Metrics;

/// <summary>
/// Exports this silo's own meters (<c>Events.*</c>, created through its <see cref="IMeterFactory"/>) to a Prometheus
/// registry. Filtering on the factory keeps two silos in one process (tests) from reporting each other's numbers.
/// Also exports the runtime's own meter (<c>System.Runtime</c>: GC pause time, heap sizes, thread pool queue), which
/// is what explains a latency tail (BENCHMARKS.md); it describes the whole process.
/// </summary>
internal sealed class MeterBridge : IDisposable
{
    public const string MeterPrefix = "Events.";
    public const string RuntimeMeter = "System.Runtime";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentExport> _exports = new();
    private bool _disposed;

    public MeterBridge(IMeterFactory meters, CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            var ours = instrument.Meter.Scope == meters && instrument.Meter.Name.StartsWith(MeterPrefix, StringComparison.Ordinal);
            if (!ours && instrument.Meter.Name != RuntimeMeter) return;
            _exports.TryAdd(instrument, new InstrumentExport(instrument, factory));
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
        registry.AddBeforeCollectCallback(RecordObservables);
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_exports.TryGetValue(instrument, out var export)) export.Record(value, tags);
    }

    private void RecordObservables()
    {
        if (_disposed) return;
        var observables = _exports.Values.Where(e => e.IsObservable).ToList();
        observables.ForEach(e => e.BeginRound());
        _listener.RecordObservableInstruments();
        observables.ForEach(e => e.EndRound());
    }

    public void Dispose()
    {
        _disposed = true;
        _listener.Dispose();
    }
}
