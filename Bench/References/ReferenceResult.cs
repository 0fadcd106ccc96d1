namespace Events.Bench.References;

/// <summary>
/// One reference measured in the same run: how many units (rows or messages) it moved per second, and the same
/// expressed in events per second so it sits next to ours. <see cref="Error"/> is set when it could not run.
/// </summary>
internal sealed record ReferenceResult(string Name, string What)
{
    public double Seconds { get; init; }
    public long Units { get; init; }
    public string Unit { get; init; } = "rows";
    public double? UnitsPerSec { get; init; }
    public double? EventsPerSec { get; init; }
    public Measure.Percentiles? CallLatencyMs { get; init; }
    public long Failures { get; init; }
    public IReadOnlyDictionary<string, object?> Details { get; init; } = new Dictionary<string, object?>();
    public string? Error { get; init; }

    /// <summary>
    /// A ClickHouse reference: the rows ClickHouse confirmed writing, per second of the run, one row per event. Not the
    /// rows its scratch table holds afterwards: a reference sends the same rows again and again, and the table's engine
    /// collapses copies of an event id as it merges, so that count fell 4-15 times short (BENCHMARKS.md).
    /// </summary>
    public static ReferenceResult RowsWritten(string name, string what, double seconds, long written,
        HdrHistogram.HistogramBase latencyMicros, IReadOnlyDictionary<string, object?> details) => new(name, what)
    {
        Seconds = Math.Round(seconds, 2),
        Units = written,
        UnitsPerSec = Math.Round(written / seconds, 0),
        EventsPerSec = Math.Round(written / seconds, 0),
        CallLatencyMs = Measure.Percentiles.FromMicros(latencyMicros),
        Details = details,
    };

    public static ReferenceResult Failed(string name, string what, Exception ex) => new(name, what) { Error = ex.Message };
}
