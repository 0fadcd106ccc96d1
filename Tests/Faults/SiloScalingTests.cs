using System.Diagnostics;
using Events.Tests.Infrastructure;

namespace Events.Tests.Faults;

/// <summary>
/// Scaling under load, with real processes: one silo and the Api under steady load, a second silo joins, then the
/// first leaves with SIGTERM. Queues and sink grains move, clients keep being served, nothing acknowledged is lost,
/// and the Orleans Dashboard shows the new silo.
/// </summary>
[Collection(FaultTestCollection.Name)]
public sealed class SiloScalingTests
{
    // A join or a graceful leave may pause acknowledgements briefly (calls in flight on the leaving silo are retried).
    private static readonly TimeSpan MaxStall = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);
    private const int EventsPerPhase = 2_000;

    [Fact]
    public async Task SiloJoinsThenOriginalLeaves_UnderLoad_ThroughputContinuesDashboardShowsNewSiloNothingLost()
    {
        await using var scenario = await FaultScenario.StartAsync("silo scaling", silos: 2, startSilos: 1);
        var cluster = scenario.Cluster;
        using var dashboard = new ClusterDashboard(cluster.HttpPort);
        await using var throughput = new ThroughputRecorder(() => scenario.Load.AcknowledgedCount, "1 silo");
        bool Consuming(string line) => line.Contains($"Consuming RabbitMQ queue {cluster.QueuePrefix}-", StringComparison.Ordinal);

        await scenario.ExpectProgressAsync(EventsPerPhase, StepTimeout, "with one silo");

        // Join: silo-1 starts, shows on the dashboard, and takes over some of the stream queues.
        throughput.BeginPhase("silo-1 joining");
        var clock = Stopwatch.StartNew();
        await cluster.StartSiloAsync(1);
        var joined = clock.Elapsed;
        var withTwo = await dashboard.WaitUntilAsync(d => d.IsActive(cluster.SiloPort(0)) && d.IsActive(cluster.SiloPort(1)), StepTimeout,
            "both silos active");
        var onDashboard = clock.Elapsed;
        await scenario.WaitForLineAsync(cluster.Silo(1), 0, Consuming, StepTimeout, "silo-1 consuming stream queues");
        var consuming = clock.Elapsed;
        FaultScenario.Log($"silo-1 joined at {joined.TotalSeconds:0.0} s, on the dashboard at {onDashboard.TotalSeconds:0.0} s, consuming at {consuming.TotalSeconds:0.0} s");

        throughput.BeginPhase("2 silos");
        await scenario.ExpectProgressAsync(EventsPerPhase, StepTimeout, "with two silos");
        var queuesOnNew = cluster.Silo(1).LinesSince(0).Count(Consuming);
        var beforeLeave = await dashboard.ReadAsync();

        // Leave: silo-0, which hosts the sinks (it was alone when they activated), stops with SIGTERM; its queues and
        // sinks move to silo-1. The phase lasts until the event sink flushes there.
        throughput.BeginPhase("silo-0 leaving");
        var survivor = cluster.Silo(1);
        var mark = survivor.LinesPrinted;
        clock.Restart();
        var exitedByItself = await cluster.StopSiloAsync(0, TimeSpan.FromSeconds(30));
        var stopped = clock.Elapsed;
        Assert.True(exitedByItself, $"silo-0 did not exit within 30 s of SIGTERM.\n{cluster.Logs()}");
        await scenario.WaitForLineAsync(survivor, mark, line => IsFlushLine(line, "event"), StepTimeout, "silo-1 flushing the event table (hosting its sink)");
        var sinkMoved = clock.Elapsed;
        throughput.BeginPhase("1 silo again");
        var withOne = await dashboard.WaitUntilAsync(d => !d.IsActive(cluster.SiloPort(0)) && d.IsActive(cluster.SiloPort(1))
            && d.Activations("TableSinkGrain", cluster.SiloPort(1)) > 0, StepTimeout, "silo-0 gone, silo-1 active and hosting the sink");
        await scenario.ExpectProgressAsync(EventsPerPhase, StepTimeout, "after silo-0 left");

        var phases = throughput.Phases();
        var report = await scenario.FinishAsync("a silo joins, then the original silo leaves with SIGTERM (under load, Redis membership)",
            $"joined {joined.TotalSeconds:0.0} s, dashboard 2 active {onDashboard.TotalSeconds:0.0} s, new silo consuming {queuesOnNew} queues at {consuming.TotalSeconds:0.0} s; " +
            $"SIGTERM exit {stopped.TotalSeconds:0.0} s, event sink flushing on survivor {sinkMoved.TotalSeconds:0.0} s; " +
            string.Join("; ", phases));
        foreach (var phase in phases) FaultScenario.Log(phase.ToString());
        string Placement(DashboardSnapshot d, string grain) =>
            $"{grain} silo-0 {d.Activations(grain, cluster.SiloPort(0))}, silo-1 {d.Activations(grain, cluster.SiloPort(1))}";
        FaultScenario.Log($"dashboard after the join: {withTwo}; with two silos: {Placement(beforeLeave, "TableSinkGrain")}, " +
            $"{Placement(beforeLeave, "EventWorkerGrain")}; after the leave: {withOne}, {Placement(withOne, "TableSinkGrain")}");

        await scenario.AssertNothingLostAsync(report);
        await scenario.AssertQueuesDrainedAsync();
        await AssertStoredOnceEachAsync(cluster, scenario.Load.Run, report.Audit.Stored);
        var stall = phases.MaxBy(p => p.LongestStall)!;
        Assert.True(stall.LongestStall <= MaxStall,
            $"no event was acknowledged for {stall.LongestStall.TotalSeconds:0.0} s during '{stall.Name}' (bound {MaxStall.TotalSeconds:0} s): {throughput.Describe()}");
        scenario.AssertNoUnserializableErrors();
    }

    /// <summary>Deduplicated as a query should count them: FINAL and uniqExact agree with the distinct ids stored.</summary>
    private static async Task AssertStoredOnceEachAsync(FaultCluster cluster, string run, int distinct)
    {
        var final = long.Parse((await cluster.ClickHouse.ExecuteAsync(
            $"SELECT count() FROM `{cluster.Database}`.`event` FINAL WHERE event_id LIKE '{run}-%' FORMAT TabSeparated")).Trim());
        var unique = long.Parse((await cluster.ClickHouse.ExecuteAsync(
            $"SELECT uniqExact(event_id) FROM `{cluster.Database}`.`event` WHERE event_id LIKE '{run}-%' FORMAT TabSeparated")).Trim());
        Assert.True(final == distinct && unique == distinct, $"FINAL counts {final}, uniqExact {unique}, distinct ids {distinct}");
    }

    private static bool IsFlushLine(string line, string table) =>
        line.Contains("Flushed ", StringComparison.Ordinal) && line.EndsWith($" rows to {table}", StringComparison.Ordinal);
}
