using HdrHistogram;

namespace Events.Bench.Measure;

/// <summary>A latency distribution in milliseconds; null figures when nothing was recorded.</summary>
internal sealed record Percentiles(long Count, double? P50, double? P90, double? P99, double? P999, double? Max, double? Mean)
{
    public static Percentiles FromMicros(HistogramBase micros)
    {
        if (micros.TotalCount == 0)
        {
            return new Percentiles(0, null, null, null, null, null, null);
        }
        double Ms(long value) => Math.Round(value / 1000.0, 2);
        return new Percentiles(
            micros.TotalCount,
            Ms(micros.GetValueAtPercentile(50)),
            Ms(micros.GetValueAtPercentile(90)),
            Ms(micros.GetValueAtPercentile(99)),
            Ms(micros.GetValueAtPercentile(99.9)),
            Ms(micros.GetMaxValue()),
            Math.Round(micros.GetMean() / 1000.0, 2));
    }
}
