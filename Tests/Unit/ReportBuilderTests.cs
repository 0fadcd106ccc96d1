using Events.Bench;
using Events.Bench.Measure;
using Events.Bench.Reporting;

namespace Events.Tests.Unit;

public sealed class ReportBuilderTests
{
    private static readonly Percentiles NoLatency = new(0, null, null, null, null, null, null);

    private static PhaseResult Phase(string name, params (string Process, double? PeakRssMb)[] processes) => new()
    {
        Name = name,
        Mode = "test",
        DispatchLatencyMs = NoLatency,
        Freshness = new FreshnessResult(0, 0, 0, 0, null, NoLatency),
        Processes = processes.ToDictionary(p => p.Process, p => new ProcessFigures(1, 0.5, p.PeakRssMb, p.PeakRssMb)),
    };

    [Fact]
    public void PeakRss_IsTheMostOfEitherPhase_HalfRateIncluded()
    {
        // As measured on 2026-12-07: the half-rate phase after the peak held more.
        var peak = Phase("peak", ("silo", 834), ("api", 300), ("clickhouse", 1500));
        var half = Phase("half-rate", ("silo", 1001.5), ("api", 280));

        Assert.Equal(1001.5, ReportBuilder.PeakRssMb(peak, half, name => name.StartsWith("silo", StringComparison.Ordinal)));
        Assert.Equal(300, ReportBuilder.PeakRssMb(peak, half, name => name == "api"));
    }

    [Fact]
    public void PeakRss_OfSeveralSilos_WithoutAHalfRatePhase_IsTheLargestSilo()
    {
        var peak = Phase("peak", ("silo-1", 700), ("silo-2", 910), ("silo-3", null));

        Assert.Equal(910, ReportBuilder.PeakRssMb(peak, null, name => name.StartsWith("silo", StringComparison.Ordinal)));
        Assert.Null(ReportBuilder.PeakRssMb(peak, null, name => name == "api"));
    }
}
