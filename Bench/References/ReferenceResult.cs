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

    /// <summary>A ClickHouse reference: the rows its scratch table holds, per second of the run, one row per event.</summary>
    public static ReferenceResult RowsStored(string name, string what, double seconds, long stored,
        HdrHistogram.HistogramBase latencyMicros, IReadOnlyDictionary<string, object?> details) => new(name, what)
    {
        Seconds = Math.Round(seconds, 2),
        Units = stored,
        UnitsPerSec = Math.Round(stored / seconds, 0),
        EventsPerSec = Math.Round(stored / seconds, 0),
        CallLatencyMs = Measure.Percentiles.FromMicros(latencyMicros),
        Details = details,
    };

    public static ReferenceResult Failed(string name, string what, Exception ex) => new(name, what) { Error = ex.Message };
}
