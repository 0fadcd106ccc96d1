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

    public static ReferenceResult Failed(string name, string what, Exception ex) => new(name, what) { Error = ex.Message };
}
