using Events.Cli.DeadLetters;
using Events.Streaming.RabbitMQ;
using Events.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Streams;
using Orleans.TestingHost;

namespace Events.Tests.Streaming;

/// <summary>The stream provider against the real broker, in an in-process silo.</summary>
public sealed class RabbitMqStreamProviderTests : IAsyncLifetime
{
    private readonly string _prefix = $"t-stream-{Guid.NewGuid():N}"[..24];
    private int _queueCount = 2;
    private readonly QueueReadLog _reads = new();
    private InProcessTestCluster? _cluster;

    public ValueTask InitializeAsync() => new(LocalServices.RequireAsync("RabbitMQ", LocalServices.RabbitMqPort));

    [Fact]
    public async Task PublishedBatches_ArriveComplete_AndAreAcknowledged()
    {
        var cluster = await StartAsync();
        var keys = Enumerable.Range(0, 20).Select(i => $"{_prefix}-ok-{i}").ToList();
        var producer = cluster.Client.GetGrain<IStreamProducerGrain>(0);

        await Task.WhenAll(keys.Select(key => producer.PublishAsync(key, Items(key, 10))));

        foreach (var key in keys)
        {
            await Eventually.Until(() => Task.FromResult(StreamProbe.ReceivedBy(key)), items => items.Count >= 10,
                TimeSpan.FromSeconds(30), items => $"{key} received {items.Count} of 10");
            Assert.Equal(Items(key, 10), StreamProbe.ReceivedBy(key));
        }
        // The agent reports a message delivered, and so acks it, on a later pump tick; stopping the silo before then
        // would hand it back to the queue (at-least-once), which the check below would count as never acknowledged.
        await Eventually.Until(() => Task.FromResult(_reads.Unreported()), count => count == 0,
            TimeSpan.FromSeconds(10), count => $"the agent has not reported {count} delivered messages");
        // Stopping the silo closes its channels: anything not acknowledged would be back in the queues now.
        await Eventually.Until(async () => { await StopAsync(); return await RabbitMqQueues.ReadyCountAsync(_prefix, _queueCount); },
            count => count == 0, TimeSpan.FromSeconds(10), count => $"{count} messages were never acknowledged");
    }

    [Fact]
    public async Task FailingConsumer_ItsMessageIsNotAcknowledged()
    {
        var cluster = await StartAsync();
        var key = $"{_prefix}-failing";
        StreamProbe.Failing[key] = true;

        await cluster.Client.GetGrain<IStreamProducerGrain>(0).PublishAsync(key, Items(key, 3));
        await Eventually.Until(() => Task.FromResult(StreamProbe.Attempts.GetValueOrDefault(key)), n => n >= 2,
            TimeSpan.FromSeconds(30), n => $"the consumer was tried {n} times");
        await StopAsync();

        Assert.Empty(StreamProbe.ReceivedBy(key));
        Assert.Equal(1u, await RabbitMqQueues.ReadyCountAsync(_prefix, _queueCount));
    }

    [Fact]
    public async Task DeliveryTheAgentGaveUpOn_IsReturnedToTheQueue_AndDeliveredLater()
    {
        _queueCount = 1; // both streams share the queue, so the later message reveals the gap
        var cluster = await StartAsync(maxEventDeliveryTime: TimeSpan.FromSeconds(2));
        var producer = cluster.Client.GetGrain<IStreamProducerGrain>(0);
        var stuck = $"{_prefix}-stuck";
        var later = $"{_prefix}-later";
        StreamProbe.Failing[stuck] = true;

        await producer.PublishAsync(stuck, Items(stuck, 2));
        // Past the agent's delivery deadline, it skips the message without reporting it delivered.
        await Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        StreamProbe.Failing.TryRemove(stuck, out _);
        await producer.PublishAsync(later, Items(later, 1));

        await Eventually.Until(() => Task.FromResult(StreamProbe.ReceivedBy(stuck)), items => items.Count >= 2,
            TimeSpan.FromSeconds(30), items => $"the skipped message came back with {items.Count} of 2 items");
        Assert.Equal(Items(later, 1), StreamProbe.ReceivedBy(later));
    }

    [Fact]
    public async Task UndecodableMessage_IsDeadLettered_AndTheQueueKeepsFlowing()
    {
        _queueCount = 1;
        var cluster = await StartAsync();
        var key = $"{_prefix}-after-garbage";

        await RabbitMqQueues.PublishRawAsync($"{_prefix}-0", "not an orleans batch"u8.ToArray());
        await cluster.Client.GetGrain<IStreamProducerGrain>(0).PublishAsync(key, Items(key, 2));

        await Eventually.Until(() => Task.FromResult(StreamProbe.ReceivedBy(key)), items => items.Count >= 2,
            TimeSpan.FromSeconds(30), items => $"received {items.Count} of 2 after the garbage");
        await Eventually.Until(() => RabbitMqQueues.ReadyCountAsync(RabbitMqQueues.DeadLetterQueue(_prefix)), count => count == 1,
            TimeSpan.FromSeconds(10), count => $"{count} messages in the dead-letter queue");

        // dlq replay returns a broker dead letter to the queue it came from.
        await StopAsync();
        await using (var deadLetters = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, _prefix))
        {
            var listing = new StringWriter();
            await DeadLetterCommands.ListAsync(deadLetters, listing, limit: 10);
            Assert.Contains($"dead-lettered from {_prefix}-0 (rejected)", listing.ToString());
        }
        await using (var deadLetters = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, _prefix))
        {
            Assert.Equal((1, 0), await DeadLetterCommands.ReplayAsync(deadLetters, TextWriter.Null, limit: 10));
        }
        Assert.Equal(1u, await RabbitMqQueues.ReadyCountAsync($"{_prefix}-0"));
        Assert.Equal(0u, await RabbitMqQueues.ReadyCountAsync(RabbitMqQueues.DeadLetterQueue(_prefix)));
    }

    [Fact]
    public async Task BrokerUnreachable_PublishFails_InsteadOfSucceeding()
    {
        var cluster = await StartAsync(port: LocalServices.FreeTcpPort());
        var producer = cluster.Client.GetGrain<IStreamProducerGrain>(0);

        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            producer.PublishAsync($"{_prefix}-nowhere", ["x"]).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));

        Assert.Contains("RabbitMQ", error.ToString());
    }

    [Fact]
    public async Task InvalidOptions_StopTheSilo_WithEveryProblemNamed()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(configure: options =>
        {
            options.QueueCount = 0;
            options.HostName = "";
        }));

        var message = error.ToString();
        Assert.Contains(StreamProbe.Provider, message);
        Assert.Contains("QueueCount", message);
        Assert.Contains("HostName", message);
    }

    [Fact]
    public async Task WaitingMessages_ReachABatchConsumer_InOneDelivery_AndAreAcknowledgedAfterIt()
    {
        _queueCount = 1;
        var cluster = await StartAsync(messagesPerDelivery: 8);
        var key = $"{_prefix}-batched";
        var gate = BatchProbe.Gates[key] = new TaskCompletionSource();

        var waiting = await PileUpBehindAHeldDeliveryAsync(cluster, key, behind: 20);
        BatchProbe.Gates.TryRemove(key, out _);
        gate.SetResult();

        await Eventually.Until(() => Task.FromResult(BatchProbe.DeliveriesOf(key).Sum(d => d.Length)), n => n >= 21,
            TimeSpan.FromSeconds(30), n => $"received {n} of 21 messages");
        var deliveries = BatchProbe.DeliveriesOf(key);
        Assert.Equal(waiting, deliveries.SelectMany(d => d).ToList());
        // The held delivery, then the 20 that waited behind it in at most 8 per delivery.
        Assert.InRange(deliveries.Count, 4, 6);
        Assert.Equal(8, deliveries.Max(d => d.Length));
        await Eventually.Until(() => Task.FromResult(_reads.Unreported()), count => count == 0,
            TimeSpan.FromSeconds(10), count => $"the agent has not reported {count} delivered messages");
        await Eventually.Until(async () => { await StopAsync(); return await RabbitMqQueues.ReadyCountAsync(_prefix, _queueCount); },
            count => count == 0, TimeSpan.FromSeconds(10), count => $"{count} messages were never acknowledged");
    }

    [Fact]
    public async Task FailingBatchedDelivery_AcknowledgesNoneOfItsMessages()
    {
        _queueCount = 1;
        var cluster = await StartAsync(messagesPerDelivery: 8);
        var key = $"{_prefix}-batch-failing";
        var gate = BatchProbe.Gates[key] = new TaskCompletionSource();
        BatchProbe.FailingBatches[key] = true;

        await PileUpBehindAHeldDeliveryAsync(cluster, key, behind: 10);
        BatchProbe.Gates.TryRemove(key, out _);
        gate.SetResult();
        await Eventually.Until(() => Task.FromResult(BatchProbe.AttemptsOf(key).Count(n => n > 1)), n => n >= 2,
            TimeSpan.FromSeconds(30), n => $"the batched delivery was tried {n} times");
        await StopAsync();

        // The held single message may have been acknowledged; none of the ten behind it may have been.
        Assert.Equal([$"{key}#0"], BatchProbe.DeliveriesOf(key).SelectMany(d => d));
        Assert.InRange(await RabbitMqQueues.ReadyCountAsync(_prefix, _queueCount), 10u, 11u);
    }

    /// <summary>
    /// Publishes one message and holds its delivery at the probe's gate, then publishes <paramref name="behind"/>
    /// more, one per message, and waits until the agent has read them all into its cache. Returns every item in order.
    /// </summary>
    private async Task<List<string>> PileUpBehindAHeldDeliveryAsync(InProcessTestCluster cluster, string key, int behind)
    {
        var producer = cluster.Client.GetGrain<IStreamProducerGrain>(0);
        var items = Items(key, behind + 1);
        await producer.PublishAsync(BatchProbe.Namespace, key, [items[0]]);
        await Eventually.Until(() => Task.FromResult(BatchProbe.AttemptsOf(key).Count), n => n >= 1,
            TimeSpan.FromSeconds(30), _ => "the first message was never delivered");
        foreach (var item in items.Skip(1))
        {
            await producer.PublishAsync(BatchProbe.Namespace, key, [item]);
        }
        await Eventually.Until(() => Task.FromResult(_reads.Reads().Sum(r => r.Messages)), n => n >= behind + 1,
            TimeSpan.FromSeconds(30), n => $"the agent read {n} of {behind + 1} messages");
        return items;
    }

    private static List<string> Items(string key, int count) => Enumerable.Range(0, count).Select(i => $"{key}#{i}").ToList();

    private async Task<InProcessTestCluster> StartAsync(int? port = null, TimeSpan? maxEventDeliveryTime = null,
        Action<RabbitMqStreamOptions>? configure = null, int messagesPerDelivery = 1)
    {
        var builder = new InProcessTestClusterBuilder(1);
        var queueCount = _queueCount;
        builder.ConfigureSilo((silo, siloBuilder) => siloBuilder.AddRabbitMqStreams(StreamProbe.Provider, streams =>
        {
            // Wraps the provider's factory (registered just before) to see what the agent took and reported delivered.
            siloBuilder.Services.AddKeyedSingleton<IQueueAdapterFactory>(StreamProbe.Provider, (services, key) =>
                new RecordingQueueAdapterFactory(RabbitMqAdapterFactory.Create(services, (string)key!), silo.SiloName, _reads));
            streams.ConfigureRabbitMq(ob => ob.Configure(options =>
            {
                options.Port = port ?? LocalServices.RabbitMqPort;
                options.QueueNamePrefix = _prefix;
                options.QueueCount = queueCount;
                configure?.Invoke(options);
            }));
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            if (maxEventDeliveryTime is { } limit)
            {
                streams.ConfigurePullingAgent(ob => ob.Configure(options => options.MaxEventDeliveryTime = limit));
            }
            streams.ConfigurePullingAgent(ob => ob.Configure(options => options.BatchContainerBatchSize = messagesPerDelivery));
        }));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        return _cluster;
    }

    private async Task StopAsync()
    {
        if (_cluster is null) return;
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        _cluster = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await RabbitMqQueues.DeleteAsync(_prefix, _queueCount);
    }
}
