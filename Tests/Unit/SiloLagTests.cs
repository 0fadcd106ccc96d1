using Events.Bench.Measure;

namespace Events.Tests.Unit;

public sealed class SiloLagTests
{
    private static readonly Uri SiloA = new("http://127.0.0.1:8021/metrics");
    private static readonly Uri SiloB = new("http://127.0.0.1:8022/metrics");

    // Cumulative buckets as the silo exports them; another table's series and other histograms are ignored.
    private static string Scrape(params (string Stage, string Le, int Count)[] buckets) =>
        string.Join('\n', buckets.Select(b => $"events_sink_lag_seconds_bucket{{stage=\"{b.Stage}\",table=\"event\",le=\"{b.Le}\"}} {b.Count}")
            .Append("events_sink_lag_seconds_bucket{stage=\"stored\",table=\"click_event\",le=\"0.5\"} 999")
            .Append("events_sink_insert_duration_seconds_bucket{outcome=\"ok\",store=\"clickhouse\",table=\"event\",le=\"0.5\"} 7"));

    [Fact]
    public void Parse_ReadsOneTablesBucketsByStageAndBound()
    {
        var buckets = SiloLag.Parse(Scrape(("arrived", "0.25", 3), ("arrived", "+Inf", 4), ("stored", "1", 2)), "event");

        Assert.Equal(3, buckets.Count);
        Assert.Equal(3, buckets[("arrived", 0.25)]);
        Assert.Equal(4, buckets[("arrived", double.PositiveInfinity)]);
        Assert.Equal(2, buckets[("stored", 1)]);
    }

    [Fact]
    public void Between_TwoSilos_SumsTheWindowsMessages_AndGivesTheBoundsTheQuantilesFallUnder()
    {
        var start = new Dictionary<Uri, string?>
        {
            [SiloA] = Scrape(("stored", "0.5", 10), ("stored", "1", 10), ("stored", "2", 10), ("stored", "+Inf", 10)),
            [SiloB] = Scrape(("stored", "0.5", 0), ("stored", "1", 0), ("stored", "2", 0), ("stored", "+Inf", 0)),
        };
        // In the window: 60 messages under 0.5 s, 39 between 0.5 and 1 s, 1 between 1 and 2 s.
        var end = new Dictionary<Uri, string?>
        {
            [SiloA] = Scrape(("stored", "0.5", 40), ("stored", "1", 60), ("stored", "2", 61), ("stored", "+Inf", 61)),
            [SiloB] = Scrape(("stored", "0.5", 30), ("stored", "1", 49), ("stored", "2", 49), ("stored", "+Inf", 49)),
        };

        var lag = SiloLag.Between(start, end, "event")!;

        Assert.Equal(new LagStage(100, 0.5, 1), lag.Stored);
        Assert.Equal(new LagStage(0, null, null), lag.Arrived);
    }

    [Fact]
    public void Between_AQuantileAboveTheLastBound_IsNull_AndNoSiloReadable_IsUnknown()
    {
        var start = new Dictionary<Uri, string?> { [SiloA] = Scrape(("arrived", "300", 0), ("arrived", "+Inf", 0)), [SiloB] = null };
        var end = new Dictionary<Uri, string?> { [SiloA] = Scrape(("arrived", "300", 1), ("arrived", "+Inf", 2)), [SiloB] = Scrape() };

        Assert.Equal(new LagStage(2, 300, null), SiloLag.Between(start, end, "event")!.Arrived);
        Assert.Null(SiloLag.Between(new Dictionary<Uri, string?> { [SiloA] = null }, end, "event"));
    }
}
