using System.Diagnostics;
using Events.Bench.Measure;
using Events.Protos;
using Events.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;
using StackExchange.Redis;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.Faults;

/// <summary>
/// The sinks' watchdog reminder, with real processes and Redis reminders: the silo hosting a sink is killed while no
/// message is in flight, so no stream delivery can bring the sink back; its reminder, stored in Redis, does.
/// </summary>
[Collection(FaultTestCollection.Name)]
public sealed class SinkWatchdogFailoverTests
{
    // Short for the test (Orleans' minimum is lowered to match); the default is one minute.
    private static readonly TimeSpan WatchdogPeriod = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan ManagementStatsInterval = TimeSpan.FromSeconds(6);
    private static readonly Uri ManagementUri = new($"http://{LocalServices.Host}:{LocalServices.RabbitMqManagementPort}/");

    [Fact]
    public async Task SiloHostingAnIdleSink_Killed_WatchdogReminderActivatesTheSinkOnTheSurvivor()
    {
        var logs = Path.Combine(ServiceScript.DataDirectory, "logs", "faults", "sink-watchdog");
        await using var cluster = await FaultCluster.StartAsync(2, logs, new Dictionary<string, string>
        {
            ["Events__Sink__WatchdogPeriod"] = WatchdogPeriod.ToString(),
        });
        using var channel = GrpcChannel.ForAddress(cluster.GrpcAddress);
        var client = new EventService.EventServiceClient(channel);
        var run = "w" + Guid.NewGuid().ToString("N")[..10];

        // One batch: the event sink activates on one silo, stores it and registers its watchdog there.
        await DispatchAsync(client, run, 1);
        await WaitStoredAsync(cluster, run, 3);
        const string registered = "Sink watchdog of event registered";
        var victim = await Eventually.Until(() => Task.FromResult(Enumerable.Range(0, 2)
                .Where(i => cluster.Silo(i).LinesSince(0).Any(l => l.Contains(registered, StringComparison.Ordinal))).DefaultIfEmpty(-1).First()),
            i => i >= 0, Timeout, _ => $"no silo logged '{registered}'.\n{cluster.Logs()}");
        await using (var redis = await ConnectionMultiplexer.ConnectAsync($"{LocalServices.Host}:{LocalServices.RedisPort}"))
        {
            var reminders = (await redis.GetDatabase().SortedSetRangeByRankAsync(cluster.RemindersKey)).Select(v => v.ToString()).ToList();
            Assert.True(reminders.Any(r => r.Contains("sink-watchdog", StringComparison.Ordinal) && r.Contains("/event", StringComparison.Ordinal)),
                $"no watchdog reminder of the event sink in Redis ({cluster.RemindersKey}): {string.Join(" | ", reminders)}");
        }

        // Kill its silo once the batch is stored and acknowledged, so the survivor has nothing to redeliver to the sink.
        // A message is acknowledged shortly after its rows are stored (a CI run killed the silo in between, and the
        // redelivery, not the reminder, brought the sink back). The management API counts unacknowledged messages
        // too (AMQP does not); the broker refreshes its figures every 5 s, so a count read 6 s later is fresh.
        await Task.Delay(ManagementStatsInterval, TestContext.Current.CancellationToken);
        using (var queues = new RabbitMqQueueStats(ManagementUri, LocalServices.RabbitMqUri, cluster.QueuePrefix))
        {
            await Eventually.Until(async () => (await queues.SnapshotAsync())?.Messages, n => n == 0,
                Timeout, n => $"stream queues: {n?.ToString() ?? "no answer (" + queues.LastError + ")"} messages ready or unacknowledged");
        }
        var survivor = cluster.Silo(1 - victim);
        var mark = survivor.LinesPrinted;
        cluster.KillSilo(victim);
        var sinceKill = Stopwatch.StartNew();
        FaultScenario.Log($"killed silo-{victim} (kill -9), which hosted the event sink and registered its watchdog");

        // "woke" is logged only by a tick that finds the sink without rows in its activation: the reminder brought it back.
        var woke = await Eventually.Until(() => Task.FromResult(survivor.LinesSince(mark).FirstOrDefault(l => l.Contains("Sink watchdog woke event on this silo", StringComparison.Ordinal))),
            line => line is not null, Timeout, _ => $"the survivor did not log the watchdog waking the event sink.\n{cluster.Logs()}");
        var wokeAfter = sinceKill.Elapsed;
        var flushedBefore = survivor.LinesSince(mark).TakeWhile(l => l != woke).Count(l => l.Contains("rows to event", StringComparison.Ordinal));
        Assert.True(flushedBefore == 0, $"the survivor flushed event rows before the watchdog woke the sink: a redelivery, not the reminder, activated it.\n{cluster.Logs()}");

        // The sink works on the survivor.
        await DispatchAsync(client, run, 2);
        await WaitStoredAsync(cluster, run, 6);
        await Eventually.Until(() => Task.FromResult(survivor.LinesSince(mark).Count(l => l.Contains("rows to event", StringComparison.Ordinal))), n => n > 0,
            Timeout, _ => $"the survivor did not flush the event table.\n{cluster.Logs()}");
        FaultScenario.Log($"the watchdog woke the event sink on silo-{1 - victim} {wokeAfter.TotalSeconds:0.0} s after the kill (period {WatchdogPeriod.TotalSeconds:0} s); " +
            $"a new batch was stored through it {sinceKill.Elapsed.TotalSeconds:0.0} s after the kill");
    }

    /// <summary>Sends batch <paramref name="n"/> (three events) until it is answered SUCCESS, as a client retries UNAVAILABLE.</summary>
    private static async Task DispatchAsync(EventService.EventServiceClient client, string run, int n)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var batch = Batch(Header($"{run}-device"), Launch($"{run}-{n}a", now), PageOpened($"{run}-{n}b", now), AddToCart($"{run}-{n}c", now));
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            try
            {
                var response = await client.dispatchAsync(batch, deadline: DateTime.UtcNow.AddSeconds(10));
                Assert.Equal("SUCCESS", response.Status);
                return;
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }

    private static Task WaitStoredAsync(FaultCluster cluster, string run, int count) => Eventually.Until(
        async () => long.Parse((await cluster.ClickHouse.ExecuteAsync(
            $"SELECT uniqExact(event_id) FROM `{cluster.Database}`.`event` WHERE event_id LIKE '{run}-%' FORMAT TabSeparated")).Trim()),
        stored => stored >= count, Timeout, stored => $"{stored} of {count} events stored");
}
