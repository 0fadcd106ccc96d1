using System.Diagnostics;
using Events.Streaming.RabbitMQ;
using Events.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;

namespace Events.Tests.Streaming;

/// <summary>One queue receiver on its own against the real broker.</summary>
public sealed class RabbitMqReceiverTests : IAsyncLifetime
{
    private readonly string _prefix = $"t-recv-{Guid.NewGuid():N}"[..24];
    private readonly RabbitMqStreamOptions _options;
    private readonly RabbitMqConnector _connector;
    private readonly Serializer<RabbitMqBatchContainer> _serializer =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer<RabbitMqBatchContainer>>();

    public RabbitMqReceiverTests()
    {
        _options = new RabbitMqStreamOptions { Port = LocalServices.RabbitMqPort, QueueNamePrefix = _prefix, QueueCount = 1 };
        _connector = new RabbitMqConnector(_options, $"{_prefix}-consume", NullLogger.Instance);
    }

    public ValueTask InitializeAsync() => new(LocalServices.RequireAsync("RabbitMQ", LocalServices.RabbitMqPort));

    [Fact]
    public async Task OpeningCutOffByItsTimeout_LeavesNoConsumerBehind()
    {
        var queue = _options.QueueName(0);
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

    private async Task OpenAndShutDownAsync(TimeSpan timeout)
    {
        var receiver = new RabbitMqReceiver(_options.QueueName(0), _options, _connector, _serializer, NullLogger<RabbitMqReceiver>.Instance);
        await receiver.Initialize(timeout, TestContext.Current.CancellationToken);
        await receiver.Shutdown(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _connector.DisposeAsync();
        }
        finally
        {
            await RabbitMqQueues.DeleteAsync(_prefix, _options.QueueCount);
        }
    }
}
