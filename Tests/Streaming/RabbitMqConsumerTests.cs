using System.Collections.Concurrent;
using Events.Streaming.RabbitMQ;
using Events.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Events.Tests.Streaming;

/// <summary>The receiver's consumer and its byte budget: the prefetch it asks for, against the real broker.</summary>
public sealed class RabbitMqConsumerTests : IAsyncLifetime
{
    private readonly OwnStreamQueues _queues = new("cons");

    public ValueTask InitializeAsync() => OwnStreamQueues.RequireBrokerAsync();

    [Theory]
    [InlineData(100_000, 0, 0, 128)] // nothing seen yet: the configured prefetch
    [InlineData(100_000, 0, 20_000, 5)] // room for five
    [InlineData(100_000, 50_000, 20_000, 2)] // half held
    [InlineData(100_000, 120_000, 20_000, 1)] // over the budget: still one, so a message larger than it is read alone
    [InlineData(100_000_000, 0, 1_000, 128)] // small messages: the configured prefetch caps it
    public void FitPrefetch_CountsTheMessagesThatFitTheRoomLeft(long budget, long held, long typical, int expected) =>
        Assert.Equal(expected, RabbitMqConsumer.FitPrefetch(budget, held, typical, maxPrefetch: 128));

    [Fact]
    public void ABudgetBelowOneByte_IsRefusedAtStartUp() =>
        Assert.Contains("MaxUnackedBytesPerQueue must be at least 1 (was 0).", new RabbitMqStreamOptions { MaxUnackedBytesPerQueue = 0 }.Problems());

    [Fact]
    public async Task APrefetchCutDownForLargeMessages_GrowsBack_WhenTheMessagesGetSmaller()
    {
        var queue = _queues.Queue;
        await using var channel = await _queues.Connector.CreateChannelAsync(null, TestContext.Current.CancellationToken);
        await RabbitMqTopology.DeclareQueueAsync(channel, _queues.Options, queue, TestContext.Current.CancellationToken);
        var arrived = new ConcurrentQueue<RabbitMqDelivery>();
        // It last saw 20 KB messages: room for five.
        var consumer = new RabbitMqConsumer(channel, queue, generation: 1, maxHeldBytes: 100_000, maxPrefetch: 128,
            typicalMessageBytes: 20_000, arrived, NullLogger.Instance);
        await consumer.StartAsync(TestContext.Current.CancellationToken);
        Assert.Equal(5, consumer.Prefetch);

        // 1 KB messages now. Settle each as the receiver would, and adjust after each poll.
        for (var i = 0; i < 40; i++) await RabbitMqQueues.PublishRawAsync(queue, new byte[1000]);
        var settled = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (settled < 40 && DateTime.UtcNow < deadline)
        {
            while (arrived.TryDequeue(out var delivery))
            {
                await channel.BasicAckAsync(delivery.Tag, multiple: false, TestContext.Current.CancellationToken);
                consumer.Settled(delivery.Receipt);
                settled++;
            }
            await consumer.AdjustAsync(TestContext.Current.CancellationToken);
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        Assert.Equal(40, settled);
        Assert.Equal(0, consumer.HeldBytes);
        Assert.False(consumer.IsPaused);
        Assert.True(consumer.Prefetch >= 10, $"the prefetch stayed at {consumer.Prefetch} though messages of {consumer.TypicalMessageBytes} bytes now fit");
    }

    public ValueTask DisposeAsync() => _queues.DisposeAsync();
}
