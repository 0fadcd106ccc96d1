using System.Diagnostics;
using Events.Tests.Infrastructure;

namespace Events.Tests.Faults;

/// <summary>Guarantee 1: a silo process killed with -9 under load loses no acknowledged event.</summary>
[Collection(FaultTestCollection.Name)]
public sealed class SiloCrashTests
{
    private static readonly TimeSpan TakeoverTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SiloKilled_UnderLoad_SurvivorTakesOverAndNoAcknowledgedEventIsLost()
    {
        await using var scenario = await FaultScenario.StartAsync("silo crash", silos: 2);
        var cluster = scenario.Cluster;
        var victim = await SinkHostAsync(scenario, "event");
        var survivor = cluster.Silo(1 - victim);
        var mark = survivor.LinesPrinted;

        cluster.KillSilo(victim);
        var sinceKill = Stopwatch.StartNew();
        FaultScenario.Log($"killed silo-{victim} (kill -9), which hosted the event sink");

        // The survivor must read the dead silo's queues and host its sink; clients keep being answered meanwhile.
        // Any queue of this cluster: its stream queues (prefix-N) and its broker inputs (prefix.name). The queue ring can
        // leave the sink's silo with inputs only, and then those are what the survivor takes over.
        bool IsConsumingLine(string line) => line.Contains($"Consuming RabbitMQ queue {cluster.QueuePrefix}", StringComparison.Ordinal)
            && !line.Contains(" again,", StringComparison.Ordinal);
        await scenario.WaitForLineAsync(survivor, mark, IsConsumingLine, TakeoverTimeout,
            $"{survivor.Name} consuming a queue of the killed silo");
        var queues = sinceKill.Elapsed;
        await scenario.WaitForLineAsync(survivor, mark, line => IsFlushLine(line, "event"), TakeoverTimeout,
            $"{survivor.Name} flushing the event table (hosting its sink)");
        var sink = sinceKill.Elapsed;
        await scenario.ExpectProgressAsync(2_000, TakeoverTimeout, "after the kill");
        var takenOver = survivor.LinesSince(mark).Count(IsConsumingLine);

        var report = await scenario.FinishAsync("kill -9 of the silo hosting the event sink (2 silos, Redis membership)",
            $"after the kill the survivor consumed {takenOver} more queues at {queues.TotalSeconds:0.0} s and flushed the event sink at {sink.TotalSeconds:0.0} s");
        await scenario.AssertNothingLostAsync(report);
        await scenario.AssertQueuesDrainedAsync();
        scenario.AssertNoUnserializableErrors();
    }

    /// <summary>The index of the silo that flushes the sink of <paramref name="table"/> now.</summary>
    private static async Task<int> SinkHostAsync(FaultScenario scenario, string table)
    {
        var silos = new[] { scenario.Cluster.Silo(0), scenario.Cluster.Silo(1) };
        var marks = silos.Select(silo => silo.LinesPrinted).ToArray();
        int FlushingSinceMark() => Enumerable.Range(0, silos.Length)
            .Where(i => silos[i].LinesSince(marks[i]).Any(line => IsFlushLine(line, table)))
            .DefaultIfEmpty(-1).First();
        return await Eventually.Until(() => Task.FromResult(FlushingSinceMark()), index => index >= 0, TimeSpan.FromSeconds(30), _ => $"no silo logged a flush of {table}.\n{scenario.Cluster.Logs()}");
    }

    private static bool IsFlushLine(string line, string table) =>
        line.Contains("Flushed ", StringComparison.Ordinal) && line.EndsWith($" rows to {table}", StringComparison.Ordinal);
}
