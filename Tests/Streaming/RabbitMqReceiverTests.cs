using System.Diagnostics;
using Events.Streaming.RabbitMQ;
using Events.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Streams;

namespace Events.Tests.Streaming;

/// <summary>One queue receiver on its own against the real broker.</summary>
public sealed class RabbitMqReceiverTests : IAsyncLifetime
{
    private readonly OwnStreamQueues _queues = new("recv");
    private readonly Serializer<RabbitMqBatchContainer> _serializer =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer<RabbitMqBatchContainer>>();

    public ValueTask InitializeAsync() => OwnStreamQueues.RequireBrokerAsync();

    [Fact]
    public async Task OpeningCutOffByItsTimeout_LeavesNoConsumerBehind()
    {
        var queue = _queues.Queue;
        // The first opening also connects; the second shows how long opening a channel takes on this machine.
        await OpenAndShutDownAsync(TimeSpan.FromSeconds(10));
        var timer = Stopwatch.StartNew();
        await OpenAndShutDownAsync(TimeSpan.FromSeconds(10));
        var opening = timer.Elapsed;
        Assert.Equal(0u, await RabbitMqQueues.ConsumerCountAsync(queue));

        // Cut openings off at every point from the start to well past the end, so some attempts stop after the broker
        // registered the consumer but before the client saw its confirmation. With single-active-consumer, a consumer
        // left behind would hold the queue for good: neither this silo's next attempt nor the next owner would get a message.
        var step = TimeSpan.FromTicks(Math.Max(opening.Ticks / 40, TimeSpan.FromMicroseconds(50).Ticks));
        for (var limit = TimeSpan.Zero; limit < opening * 2; limit += step)
        {
            await OpenAndShutDownAsync(limit);
            var consumers = await RabbitMqQueues.ConsumerCountAsync(queue);
            Assert.True(consumers == 0,
                $"opening cut off after {limit.TotalMilliseconds:0.00} ms (a whole opening takes {opening.TotalMilliseconds:0.00} ms) left {consumers} consumer(s) on the queue after Shutdown");
        }
    }

    [Fact]
    public async Task PastItsByteBudget_StopsTheBrokersDeliveries_AndFitsTheNextOnesToTheRoom()
    {
        var queue = _queues.Queue;
        var body = _serializer.SerializeToArray(new RabbitMqBatchContainer(StreamId.Create("test", "budget"), [new byte[8000]], null));
        _queues.Options.MaxUnackedBytesPerQueue = 5L * body.Length; // room for five messages
        var receiver = new RabbitMqReceiver(queue, _queues.Options, _queues.Connector, _serializer, NullLogger<RabbitMqReceiver>.Instance);
        await receiver.Initialize(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        try
        {
            // One at a time, so the receiver learns their size: the fifth fills the budget.
            var first = new List<IBatchContainer>();
            for (var i = 0; i < 5; i++)
            {
                await RabbitMqQueues.PublishRawAsync(queue, body);
                first.AddRange(await TakeAsync(receiver, 1));
            }
            await Eventually.Until(() => RabbitMqQueues.ConsumerCountAsync(queue), count => count == 0, TimeSpan.FromSeconds(10),
                count => $"the receiver holds its whole budget, but {count} consumer(s) remain on the queue");

            // A backlog builds while it holds them, and nothing of it is delivered.
            for (var i = 0; i < 10; i++) await RabbitMqQueues.PublishRawAsync(queue, body);
            Assert.Empty(await TakeAsync(receiver, 1, TimeSpan.FromMilliseconds(500)));
            Assert.Equal(10u, await RabbitMqQueues.ReadyCountAsync(queue));

            // Settling frees the budget. With its usual prefetch of 128 the broker would hand over the whole backlog at once;
            // fitted to the room, it hands over five.
            await receiver.MessagesDeliveredAsync(first, TestContext.Current.CancellationToken);
            var second = await TakeAsync(receiver, 5);
            Assert.Empty(await TakeAsync(receiver, 1, TimeSpan.FromMilliseconds(500)));
            Assert.Equal(5u, await RabbitMqQueues.ReadyCountAsync(queue));

            await receiver.MessagesDeliveredAsync(second, TestContext.Current.CancellationToken);
            var third = await TakeAsync(receiver, 5);
            await receiver.MessagesDeliveredAsync(third, TestContext.Current.CancellationToken);
            Assert.Equal(0u, await RabbitMqQueues.ReadyCountAsync(queue));
        }
        finally
        {
            await receiver.Shutdown(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Polls like the pulling agent until <paramref name="count"/> messages came, or the time is up.</summary>
    private static async Task<List<IBatchContainer>> TakeAsync(RabbitMqReceiver receiver, int count, TimeSpan? wait = null)
    {
        var deadline = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(10));
        var taken = new List<IBatchContainer>();
        while (DateTime.UtcNow < deadline)
        {
            taken.AddRange(await receiver.GetQueueMessagesAsync(100, TestContext.Current.CancellationToken));
            if (wait is null && taken.Count >= count) break;
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        if (wait is null) Assert.True(taken.Count == count, $"expected {count} message(s) within 10 s, got {taken.Count}");
        return taken;
    }

    private async Task OpenAndShutDownAsync(TimeSpan timeout)
    {
        var receiver = new RabbitMqReceiver(_queues.Queue, _queues.Options, _queues.Connector, _serializer, NullLogger<RabbitMqReceiver>.Instance);
        await receiver.Initialize(timeout, TestContext.Current.CancellationToken);
        await receiver.Shutdown(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync() => _queues.DisposeAsync();
}
