using Events.Streaming.RabbitMQ;
using Microsoft.Extensions.Logging.Abstractions;

namespace Events.Tests.Infrastructure;

/// <summary>
/// A test's own stream queue on the real broker: options under a prefix no other test uses, a connector, and the
/// queues (the dead-letter queue too) deleted when the test ends.
/// </summary>
internal sealed class OwnStreamQueues : IAsyncDisposable
{
    public OwnStreamQueues(string kind)
    {
        Prefix = $"t-{kind}-{Guid.NewGuid():N}"[..24];
        Options = new RabbitMqStreamOptions { Port = LocalServices.RabbitMqPort, QueueNamePrefix = Prefix, QueueCount = 1 };
        Connector = new RabbitMqConnector(Options, $"{Prefix}-test", NullLogger.Instance);
    }

    public string Prefix { get; }

    public RabbitMqStreamOptions Options { get; }

    public RabbitMqConnector Connector { get; }

    /// <summary>The one stream queue.</summary>
    public string Queue => Options.QueueName(0);

    public static ValueTask RequireBrokerAsync() => new(LocalServices.RequireAsync("RabbitMQ", LocalServices.RabbitMqPort));

    /// <summary>Declares the stream queue and the dead-letter exchange and queue, as a silo does.</summary>
    public async Task DeclareAsync()
    {
        await using var channel = await Connector.CreateChannelAsync(null, TestContext.Current.CancellationToken);
        await RabbitMqTopology.DeclareQueueAsync(channel, Options, Queue, TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Puts <paramref name="text"/> in the (declared) stream queue and rejects it, as a receiver does with a message it
    /// cannot read: the broker dead-letters it, naming the queue in <c>x-death</c>. Returns once it is a dead letter.
    /// </summary>
    public async Task RejectToDeadLetterAsync(string text)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var before = await RabbitMqQueues.ReadyCountAsync(Options.DeadLetterName);
        await RabbitMqQueues.PublishRawAsync(Queue, System.Text.Encoding.UTF8.GetBytes(text));
        await using (var channel = await Connector.CreateChannelAsync(null, cancellation))
        {
            var rejected = await channel.BasicGetAsync(Queue, autoAck: false, cancellation);
            Assert.NotNull(rejected);
            await channel.BasicNackAsync(rejected.DeliveryTag, multiple: false, requeue: false, cancellation);
        }
        await Eventually.Until(() => RabbitMqQueues.ReadyCountAsync(Options.DeadLetterName), n => n == before + 1, TimeSpan.FromSeconds(10),
            n => $"expected {before + 1} dead letters, found {n}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Connector.DisposeAsync();
        }
        finally
        {
            await RabbitMqQueues.DeleteAsync(Prefix, Options.QueueCount);
        }
    }
}
