using System.Diagnostics.Metrics;
using Prometheus;

namespace Events.Silo.Metrics;

/// <summary>
/// One .NET instrument as one Prometheus metric: a counter stays a counter (prometheus-net's own adapter makes every
/// counter a gauge that vanishes after five idle minutes), a histogram keeps the buckets its instrument advises.
/// Label names are the measurement's tag names, sorted, fixed by the first measurement, with the characters Prometheus
/// does not allow made underscores (<c>gc.heap.generation</c> → <c>gc_heap_generation</c>).
/// </summary>
internal sealed class InstrumentExport(Instrument instrument, IMetricFactory factory)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, string[]> _seenThisRound = [];
    private string[]? _tagKeys;
    private Collector? _metric;

    /// <summary>Observable instruments report their whole current state on every scrape.</summary>
    public bool IsObservable { get; } = instrument.IsObservable;

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        lock (_lock)
        {
            var metric = _metric ??= Create(tags);
            var labels = LabelValues(tags);
            switch (metric)
            {
                case Counter counter:
                    counter.WithLabels(labels).Inc(value);
                    break;
                case Histogram histogram:
                    histogram.WithLabels(labels).Observe(value);
                    break;
                case Gauge gauge:
                    gauge.WithLabels(labels).Set(value);
                    _seenThisRound[string.Join('\u0001', labels)] = labels;
                    break;
            }
        }
    }

    public void BeginRound()
    {
        lock (_lock) _seenThisRound.Clear();
    }

    /// <summary>Drops the series an observable instrument no longer reports (a queue now consumed by another silo).</summary>
    public void EndRound()
    {
        lock (_lock)
        {
            if (_metric is not Gauge gauge) return;
            foreach (var labels in gauge.GetAllLabelValues().ToList())
            {
                if (!_seenThisRound.ContainsKey(string.Join('\u0001', labels))) gauge.RemoveLabelled(labels);
            }
        }
    }

    private Collector Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var keys = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++) keys[i] = tags[i].Key;
        Array.Sort(keys, StringComparer.Ordinal);
        _tagKeys = keys;
        var names = keys.Select(PrometheusNames.Label).ToArray();
        var help = instrument.Description ?? instrument.Name;
        var isCounter = instrument.GetType().IsGenericType && instrument.GetType().GetGenericTypeDefinition() == typeof(Counter<>);
        var name = PrometheusNames.For(instrument.Name, instrument.Unit, isCounter);
        if (isCounter) return factory.CreateCounter(name, help, names);
        if (Buckets() is { } buckets) return factory.CreateHistogram(name, help, names, new HistogramConfiguration { Buckets = buckets });
        return factory.CreateGauge(name, help, names);
    }

    private double[]? Buckets() => instrument switch
    {
        Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray() ?? Prometheus.Histogram.ExponentialBuckets(0.001, 2, 16),
        Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray() ?? Prometheus.Histogram.ExponentialBuckets(1, 2, 16),
        Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray() ?? Prometheus.Histogram.ExponentialBuckets(1, 2, 16),
        _ => null,
    };

    private string[] LabelValues(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var values = new string[_tagKeys!.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = "";
            foreach (var tag in tags)
            {
                if (tag.Key == _tagKeys[i])
                {
                    values[i] = tag.Value?.ToString() ?? "";
                    break;
                }
            }
        }
        return values;
    }
}
