using System.Diagnostics.Metrics;

namespace Events.Grains.Sinks;

/// <summary>
/// What the sinks wrote, per table (meter <c>Events.Sinks</c>). Plain .NET instruments: the silo decides how they
/// are exported (Prometheus at its <c>/metrics</c>), so the grains carry no exporter dependency.
/// </summary>
public sealed class SinkMetrics
{
    public const string MeterName = "Events.Sinks";

    // Inserts take milliseconds when healthy and up to the command timeout (20 s) when the store struggles.
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];
    // Lag from the front door: a healthy pipeline stores rows within about a second, a struggling one within minutes.
    private static readonly double[] LagBuckets = [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30, 60, 300];
    private static readonly long[] RowBuckets = [1, 10, 100, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000];

    private readonly Counter<long> _rowsFlushed;
    private readonly Histogram<double> _insertDuration;
    private readonly Histogram<long> _insertRows;
    private readonly Counter<long> _insertFailures;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _deadLetters;
    private readonly Histogram<double> _lag;

    public SinkMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _rowsFlushed = meter.CreateCounter<long>("events.sink.rows_flushed", "{row}", "Rows stored in their table, per store and table.");
        _insertDuration = meter.CreateHistogram("events.sink.insert.duration", "s",
            "Time of one insert, per store, table and outcome (ok, rejected, failed).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _insertRows = meter.CreateHistogram("events.sink.insert.rows", "{row}", "Rows per successful insert (batch size), per store and table.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = RowBuckets });
        _insertFailures = meter.CreateCounter<long>("events.sink.insert.failures", "{insert}",
            "Failed inserts, per store, table and error class (rejected, timeout, unreachable, server, other).");
        _retries = meter.CreateCounter<long>("events.sink.retries", "{insert}",
            "Inserts retried: a failed flush whose messages are redelivered (failed) or a refused row retried alone (rejected).");
        _deadLetters = meter.CreateCounter<long>("events.sink.dead_letters", "{event}",
            "Events a table refused for good, written to error_event and the dead-letter queue, per table.");
        _lag = meter.CreateHistogram("events.sink.lag", "s",
            "Per stream message: time since the front door received its oldest events, when the message reached its table's " +
            "sink (stage arrived) and when its rows were stored (stage stored), per table.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });
    }

    public void InsertSucceeded(string store, string table, int rows, TimeSpan elapsed)
    {
        var tags = StoreAndTable(store, table);
        _rowsFlushed.Add(rows, tags);
        _insertRows.Record(rows, tags);
        _insertDuration.Record(elapsed.TotalSeconds, [new("store", store), new("table", table), new("outcome", "ok")]);
    }

    /// <param name="errorClass">rejected, timeout, unreachable, server or other.</param>
    public void InsertFailed(string store, string table, string errorClass, TimeSpan elapsed)
    {
        _insertFailures.Add(1, [new("store", store), new("table", table), new("error", errorClass)]);
        var outcome = errorClass == "rejected" ? "rejected" : "failed";
        _insertDuration.Record(elapsed.TotalSeconds, [new("store", store), new("table", table), new("outcome", outcome)]);
    }

    /// <param name="reason"><c>failed</c> (the whole flush, redelivered) or <c>rejected</c> (one refused row, alone).</param>
    public void Retried(string table, string reason) => _retries.Add(1, [new("table", table), new("reason", reason)]);

    public void DeadLettered(string table, int events) => _deadLetters.Add(events, new KeyValuePair<string, object?>("table", table));

    /// <param name="stage"><c>arrived</c> (at the sink) or <c>stored</c> (in its table or dead-lettered).</param>
    public void Lag(string table, string stage, TimeSpan lag) =>
        _lag.Record(Math.Max(0, lag.TotalSeconds), [new("table", table), new("stage", stage)]);

    private static KeyValuePair<string, object?>[] StoreAndTable(string store, string table) => [new("store", store), new("table", table)];
}
