using System.Diagnostics.Metrics;
using Events.Silo.Metrics;
using Events.Tests.Infrastructure;
using Prometheus;

namespace Events.Tests.Unit;

/// <summary>.NET instruments come out of the silo's registry as proper Prometheus counters, histograms and gauges.</summary>
public sealed class MeterBridgeTests
{
    private readonly IMeterFactory _meters = TestMeters.Factory();
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();

    [Fact]
    public async Task Counter_IsExportedAsACounterWithTotalSuffixAndSortedLabels()
    {
        using var bridge = new MeterBridge(_meters, _registry);
        var counter = _meters.Create("Events.Test").CreateCounter<long>("events.test.rows", "{row}", "Rows.");

        counter.Add(3, [new("table", "event"), new("store", "clickhouse")]);
        counter.Add(4, [new("store", "clickhouse"), new("table", "event")]);

        var text = await ExportAsync();
        Assert.Contains("# TYPE events_test_rows_total counter", text);
        Assert.Contains("events_test_rows_total{store=\"clickhouse\",table=\"event\"} 7", text);
    }

    [Fact]
    public async Task Histogram_UsesTheBucketsItsInstrumentAdvises()
    {
        using var bridge = new MeterBridge(_meters, _registry);
        var histogram = _meters.Create("Events.Test").CreateHistogram("events.test.duration", "s", "Time.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });

        histogram.Record(0.5, new KeyValuePair<string, object?>("table", "event"));

        var text = await ExportAsync();
        Assert.Contains("# TYPE events_test_duration_seconds histogram", text);
        Assert.Contains("events_test_duration_seconds_bucket{table=\"event\",le=\"0.1\"} 0", text);
        Assert.Contains("events_test_duration_seconds_bucket{table=\"event\",le=\"1\"} 1", text);
        Assert.Contains("events_test_duration_seconds_count{table=\"event\"} 1", text);
    }

    [Fact]
    public async Task ObservableGauge_ReportsCurrentValuesAndDropsSeriesNoLongerObserved()
    {
        using var bridge = new MeterBridge(_meters, _registry);
        var queues = new Dictionary<string, long> { ["q-0"] = 5, ["q-1"] = 2 };
        _meters.Create("Events.Test").CreateObservableGauge("events.test.ready",
            () => queues.Select(q => new Measurement<long>(q.Value, new KeyValuePair<string, object?>("queue", q.Key))).ToList());

        var first = await ExportAsync();
        queues.Remove("q-1");
        queues["q-0"] = 1;
        var second = await ExportAsync();

        Assert.Contains("events_test_ready{queue=\"q-0\"} 5", first);
        Assert.Contains("events_test_ready{queue=\"q-1\"} 2", first);
        Assert.Contains("events_test_ready{queue=\"q-0\"} 1", second);
        Assert.DoesNotContain("q-1", second);
    }

    [Fact]
    public async Task MetersOfAnotherFactoryOrOutsideEvents_AreNotExported()
    {
        using var bridge = new MeterBridge(_meters, _registry);
        TestMeters.Factory().Create("Events.Test").CreateCounter<long>("events.other.silo").Add(1);
        _meters.Create("Microsoft.Orleans").CreateCounter<long>("orleans.thing").Add(1);

        var text = await ExportAsync();
        Assert.DoesNotContain("events_other_silo", text);
        Assert.DoesNotContain("orleans_thing", text);
    }

    private async Task<string> ExportAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
