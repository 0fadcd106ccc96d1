using System.Globalization;
using System.Text.RegularExpressions;

namespace Events.Bench.Measure;

/// <summary>
/// Where freshness goes, from the silos' own histogram <c>events_sink_lag_seconds{table,stage}</c>: per stream message,
/// the seconds from the front door to its table's sink (<c>arrived</c>) and to its rows being stored (<c>stored</c>).
/// Over a window, summed over the silos, each stage's p50 and p99 are the histogram bucket bounds they fall under.
/// </summary>
internal static partial class SiloLag
{
    private const string Bucket = "events_sink_lag_seconds_bucket{";

    /// <summary>Cumulative message counts of one scrape by (stage, upper bound) for one table.</summary>
    public static Dictionary<(string Stage, double Le), double> Parse(string scrape, string table)
    {
        var buckets = new Dictionary<(string, double), double>();
        foreach (var line in scrape.Split('\n'))
        {
            if (!line.StartsWith(Bucket, StringComparison.Ordinal)) continue;
            var labels = Label().Matches(line[..line.IndexOf('}')]).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            if (labels.GetValueOrDefault("table") != table || labels.GetValueOrDefault("stage") is not { } stage || labels.GetValueOrDefault("le") is not { } le) continue;
            var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
            buckets[(stage, bound)] = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        return buckets;
    }

    /// <summary>Both stages over a window; null when no silo could be read at both ends.</summary>
    public static LagFigures? Between(IReadOnlyDictionary<Uri, string?> start, IReadOnlyDictionary<Uri, string?> end, string table)
    {
        var silos = start.Where(s => s.Value is not null && end.GetValueOrDefault(s.Key) is not null).ToList();
        if (silos.Count == 0) return null;
        var window = new Dictionary<(string Stage, double Le), double>();
        foreach (var (url, text) in silos)
        {
            var before = Parse(text!, table);
            foreach (var (key, count) in Parse(end[url]!, table))
            {
                window[key] = window.GetValueOrDefault(key) + count - before.GetValueOrDefault(key);
            }
        }
        return new LagFigures(Stage(window, "arrived"), Stage(window, "stored"));
    }

    private static LagStage Stage(Dictionary<(string Stage, double Le), double> window, string stage)
    {
        var cumulative = window.Where(b => b.Key.Stage == stage).OrderBy(b => b.Key.Le).Select(b => (b.Key.Le, Count: b.Value)).ToList();
        var total = cumulative.Count == 0 ? 0 : cumulative[^1].Count;
        double? Under(double quantile) => total == 0 ? null : cumulative.First(b => b.Count >= quantile * total).Le is var le && double.IsFinite(le) ? le : null;
        return new LagStage((long)total, Under(0.5), Under(0.99));
    }

    [GeneratedRegex("(\\w+)=\"([^\"]*)\"")]
    private static partial Regex Label();
}

/// <param name="Messages">Messages that reached the stage in the window.</param>
/// <param name="P50UnderSeconds">The bucket bound the median falls under; null with messages: above the last bound (300 s).</param>
internal sealed record LagStage(long Messages, double? P50UnderSeconds, double? P99UnderSeconds);

internal sealed record LagFigures(LagStage Arrived, LagStage Stored);
