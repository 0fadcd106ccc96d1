using System.Globalization;

namespace Events.Bench.Measure;

/// <summary>
/// Reads each silo's garbage-collection pause time from its <c>/metrics</c> (<c>dotnet_gc_pause_time_seconds</c>, the
/// runtime's own meter): the share of a window a silo spent paused is what sets a dispatch latency tail that does not
/// follow the load (BENCHMARKS.md). A silo that does not answer reads as unknown, not as zero.
/// </summary>
internal static class SiloGcPauses
{
    private const string PauseSeries = "dotnet_gc_pause_time_seconds ";
    private const string CollectionsSeries = "dotnet_gc_collections{";

    /// <summary>Per silo: seconds paused and collections since the silo started, or null when unreadable.</summary>
    public static IReadOnlyDictionary<Uri, GcReading?> Read(IReadOnlyDictionary<Uri, string?> scrapes) =>
        scrapes.ToDictionary(s => s.Key, s => s.Value is null ? null : Parse(s.Value));

    /// <summary>The silos' pauses between two snapshots; null when no silo could be read both times.</summary>
    public static GcFigures? Between(IReadOnlyDictionary<Uri, GcReading?> start, IReadOnlyDictionary<Uri, GcReading?> end, double seconds)
    {
        var deltas = start
            .Where(s => s.Value is not null && end.GetValueOrDefault(s.Key) is not null)
            .Select(s => (Pause: end[s.Key]!.PauseSeconds - s.Value!.PauseSeconds, Collections: end[s.Key]!.Collections - s.Value.Collections))
            .ToList();
        if (deltas.Count == 0 || seconds <= 0) return null;
        var worst = deltas.Max(d => d.Pause);
        return new GcFigures(
            Silos: deltas.Count,
            PauseSeconds: Math.Round(deltas.Sum(d => d.Pause), 3),
            WorstSiloPausePercent: Math.Round(100 * worst / seconds, 2),
            Collections: deltas.Sum(d => d.Collections));
    }

    /// <summary>The pause total and the summed collection counts of one scrape; null when the series are not there.</summary>
    public static GcReading? Parse(string scrape)
    {
        double? pause = null;
        long collections = 0;
        foreach (var line in scrape.Split('\n'))
        {
            if (line.StartsWith(PauseSeries, StringComparison.Ordinal))
            {
                pause = double.Parse(line[PauseSeries.Length..], CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith(CollectionsSeries, StringComparison.Ordinal))
            {
                collections += long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }
        return pause is { } seconds ? new GcReading(seconds, collections) : null;
    }
}

/// <summary>One silo's runtime totals at one moment.</summary>
internal sealed record GcReading(double PauseSeconds, long Collections);

/// <summary>
/// The silos over a window: their summed pause seconds, the share of the window the most-paused silo spent paused,
/// and their collections.
/// </summary>
internal sealed record GcFigures(int Silos, double PauseSeconds, double WorstSiloPausePercent, long Collections);
