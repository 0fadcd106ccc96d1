using System.Diagnostics;

namespace Events.Tests.Faults;

/// <summary>
/// Guarantee 4: the Api process restarts under load, once gracefully (SIGTERM, as a deployment does) and once
/// killed (-9). Calls in flight fail or finish; clients retry; nothing answered SUCCESS is lost. Both shapes: the Api
/// as a client of two silos, and the Api hosting the only silo (<c>./events.sh up</c>), which restarts with it.
/// </summary>
[Collection(FaultTestCollection.Name)]
public sealed class ApiRestartTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ApiRestarted_UnderLoad_ClientsRetryAndNoAcknowledgedEventIsLost(bool hostsSilo)
    {
        var shape = hostsSilo ? "the Api hosting the only silo" : "2 silos";
        await using var scenario = hostsSilo
            ? await FaultScenario.StartAsync("api hosting the silo restart", silos: 0, apiHostsSilo: true)
            : await FaultScenario.StartAsync("api restart", silos: 2);
        var cluster = scenario.Cluster;

        var downtimes = new List<string>();
        foreach (var kill in new[] { false, true })
        {
            var how = kill ? "killed (-9)" : "stopped (SIGTERM)";
            var clock = Stopwatch.StartNew();
            await cluster.StopApiAsync(kill);
            FaultScenario.Log($"api {how}; {scenario.Load.AcknowledgedCount} events acknowledged");
            await cluster.StartApiAsync();
            FaultScenario.Log("api ready again");
            var resumed = await scenario.ExpectProgressAsync(1_000, TimeSpan.FromSeconds(60), $"after the Api was {how} and started again");
            downtimes.Add($"{how}: ready again after {clock.Elapsed.TotalSeconds - resumed.TotalSeconds:0.0} s");
        }

        var report = await scenario.FinishAsync($"Api stopped with SIGTERM and started, then killed with -9 and started ({shape})",
            string.Join("; ", downtimes));
        await scenario.AssertNothingLostAsync(report);
        await scenario.AssertQueuesDrainedAsync();
        scenario.AssertNoUnserializableErrors();
    }
}
