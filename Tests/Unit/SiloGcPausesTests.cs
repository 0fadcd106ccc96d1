using Events.Bench.Measure;

namespace Events.Tests.Unit;

public sealed class SiloGcPausesTests
{
    private static readonly Uri SiloA = new("http://127.0.0.1:8021/metrics");
    private static readonly Uri SiloB = new("http://127.0.0.1:8022/metrics");

    [Fact]
    public void Parse_Scrape_ReadsPauseSecondsAndSumsCollectionsOverGenerations()
    {
        const string scrape = """
            # TYPE dotnet_gc_pause_time_seconds gauge
            dotnet_gc_pause_time_seconds 1.25
            dotnet_gc_pause_time_seconds_other 9
            dotnet_gc_collections{gc_heap_generation="gen0"} 40
            dotnet_gc_collections{gc_heap_generation="gen1"} 7
            dotnet_gc_collections{gc_heap_generation="gen2"} 3
            """;

        Assert.Equal(new GcReading(1.25, 50), SiloGcPauses.Parse(scrape));
    }

    [Fact]
    public void Parse_ScrapeWithoutTheRuntimeMeter_IsUnknown() =>
        Assert.Null(SiloGcPauses.Parse("events_sink_rows_flushed_total{table=\"event\"} 5\n"));

    [Fact]
    public void Between_TwoSilos_SumsPausesAndReportsTheMostPausedSilosShareOfTheWindow()
    {
        var start = new Dictionary<Uri, GcReading?> { [SiloA] = new(1.0, 10), [SiloB] = new(2.0, 20) };
        var end = new Dictionary<Uri, GcReading?> { [SiloA] = new(1.5, 14), [SiloB] = new(3.0, 30) };

        Assert.Equal(new GcFigures(Silos: 2, PauseSeconds: 1.5, WorstSiloPausePercent: 5.0, Collections: 14), SiloGcPauses.Between(start, end, 20));
    }

    [Fact]
    public void Between_SiloUnreadableAtEitherEnd_LeftOut_AndNoneReadable_IsUnknown()
    {
        var start = new Dictionary<Uri, GcReading?> { [SiloA] = new(1.0, 10), [SiloB] = null };
        var end = new Dictionary<Uri, GcReading?> { [SiloA] = new(1.2, 12), [SiloB] = new(3.0, 30) };

        Assert.Equal(1, SiloGcPauses.Between(start, end, 10)!.Silos);
        Assert.Null(SiloGcPauses.Between(new Dictionary<Uri, GcReading?> { [SiloA] = null }, end, 10));
    }
}
