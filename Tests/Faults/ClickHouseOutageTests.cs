using Events.Tests.Infrastructure;

namespace Events.Tests.Faults;

/// <summary>
/// Guarantee 3: ClickHouse is down for a minute under load. The front door keeps accepting, nothing is dead-lettered
/// because of the outage, the backlog waits in RabbitMQ rather than in the silos (backpressure: a full stream cache
/// stops reading its queue, and a receiver holding its byte budget stops the broker's deliveries), silo memory stays
/// bounded, and the backlog drains once ClickHouse is back.
/// </summary>
[Collection(FaultTestCollection.Name)]
public sealed class ClickHouseOutageTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(60);

    // Far smaller than the defaults (128 each) so that a minute of CI-sized load outgrows what the silos may hold
    // (queues × (prefetch + cache) messages) and backpressure shows; the mechanism is the same at any size. At 32,
    // a minute's ~500 messages (the publish lane coalesces a call's groups) fitted in the 8 × 64 the silos may hold.
    private const int StreamCache = 8;

    // Far smaller than the default (16 MiB) for the same reason: a few of CI's messages per queue, while the default
    // cache and prefetch would take the whole minute in.
    private const int ByteBudget = 16 * 1024;

    // Far above what the capped caches need, far below what holding a minute of load, or the rows of every
    // failed flush, would take.
    private const long MaxGrowthBytes = 256L * 1024 * 1024;

    [Theory]
    [InlineData("messages")] // the stream cache and prefetch bound what a silo holds
    [InlineData("bytes")] // the receivers' byte budget does
    public async Task ClickHouseDownForAMinute_UnderLoad_NothingDeadLetteredBacklogWaitsInRabbitMqAndDrains(string bound)
    {
        await ServiceScript.RequireStartedByScriptAsync("clickhouse");
        var settings = bound == "messages"
            ? new Dictionary<string, string>
            {
                ["Events__RabbitMq__PrefetchCount"] = StreamCache.ToString(),
                ["Events__RabbitMq__CacheSize"] = StreamCache.ToString(),
            }
            : new Dictionary<string, string> { ["Events__RabbitMq__MaxUnackedBytesPerQueue"] = ByteBudget.ToString() };
        await using var scenario = await FaultScenario.StartAsync($"clickhouse outage bound in {bound}", silos: 2, siloSettings: settings);
        var cluster = scenario.Cluster;
        var load = scenario.Load;
        await using var memory = new MemorySampler([cluster.Silo(0), cluster.Silo(1)]);
        int acknowledgedDuringOutage;
        uint waitingInRabbitMq;
        try
        {
            await ServiceScript.StopAsync("clickhouse");
            var acknowledged = load.AcknowledgedCount;
            FaultScenario.Log($"clickhouse stopped; {acknowledged} events acknowledged");
            var stopped = DateTime.UtcNow;
            // The front door does not depend on ClickHouse: clients keep getting SUCCESS.
            await scenario.ExpectProgressAsync(1_000, Outage, "while ClickHouse is down");
            var rest = Outage - (DateTime.UtcNow - stopped);
            if (rest > TimeSpan.Zero) await Task.Delay(rest, TestContext.Current.CancellationToken); // the outage itself
            acknowledgedDuringOutage = load.AcknowledgedCount - acknowledged;
            waitingInRabbitMq = await RabbitMqQueues.ReadyCountAsync(cluster.QueuePrefix, FaultCluster.QueueCount);
            await ServiceScript.StartAsync("clickhouse");
            FaultScenario.Log($"clickhouse started; {acknowledgedDuringOutage} events acknowledged while it was down, " +
                $"{waitingInRabbitMq} messages waiting in RabbitMQ; memory {memory.Describe()}");
        }
        finally
        {
            await ServiceScript.EnsureStartedAsync("clickhouse");
        }

        await scenario.ExpectProgressAsync(1_000, TimeSpan.FromSeconds(60), "after ClickHouse came back");
        var report = await scenario.FinishAsync($"ClickHouse stopped for {Outage.TotalSeconds:0} s and started again (services.sh), 2 silos",
            $"{acknowledgedDuringOutage} events acknowledged during the outage, {waitingInRabbitMq} messages waiting in RabbitMQ at its end; " +
            $"silo memory {memory.Describe()}; " + (bound == "messages" ? $"stream prefetch and cache {StreamCache}" : $"byte budget {ByteBudget} per queue"),
            auditTimeout: TimeSpan.FromSeconds(90));

        await scenario.AssertNothingLostAsync(report);
        var deadLettered = await RabbitMqQueues.ReadyCountAsync(RabbitMqQueues.DeadLetterQueue(cluster.QueuePrefix));
        Assert.True(deadLettered == 0, $"{deadLettered} messages were dead-lettered during a ClickHouse outage");
        var errorRows = (await cluster.ClickHouse.ExecuteAsync($"SELECT count() FROM `{cluster.Database}`.`error_event`")).Trim();
        Assert.True(errorRows == "0", $"{errorRows} rows went to error_event during a ClickHouse outage");
        Assert.True(waitingInRabbitMq > 0, "no message waited in RabbitMQ at the end of the outage: the silos took the whole backlog in");
        Assert.True(memory.MaxGrowth < MaxGrowthBytes,
            $"silo memory grew by {memory.MaxGrowth / 1_048_576} MB during the outage (bound {MaxGrowthBytes / 1_048_576} MB): {memory.Describe()}");
        await scenario.AssertQueuesDrainedAsync();
        scenario.AssertNoUnserializableErrors();
    }
}
