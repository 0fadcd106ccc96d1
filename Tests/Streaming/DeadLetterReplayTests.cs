using Events.Cli.DeadLetters;
using Events.Streaming.RabbitMQ;
using Events.Tests.Infrastructure;
using RabbitMQ.Client;

namespace Events.Tests.Streaming;

/// <summary><c>dlq replay</c> against the real broker, with letters it can and cannot send back.</summary>
public sealed class DeadLetterReplayTests : IAsyncLifetime
{
    private readonly OwnStreamQueues _queues = new("dlq");

    public ValueTask InitializeAsync() => OwnStreamQueues.RequireBrokerAsync();

    [Fact]
    public async Task ALetterThatCannotBeReplayed_StaysInTheQueue_AndDoesNotHoldBackTheOnesBehindIt()
    {
        var origin = _queues.Queue;
        await using (var channel = await _queues.Connector.CreateChannelAsync(null, TestContext.Current.CancellationToken))
        {
            await RabbitMqTopology.DeclareQueueAsync(channel, _queues.Options, origin, TestContext.Current.CancellationToken);
            // First in the queue: groups a sink could not read, which no replay can send back.
            await RabbitMqQueues.PublishAsync(_queues.Options.DeadLetterName, [1, 2, 3], DeadLetterMessage.UnreadableContentType);
            // Behind it: a message a receiver rejected, which the broker dead-lettered naming its queue.
            await DeadLetterAsync(channel, origin, "rejected once");
        }
        await Eventually.Until(() => RabbitMqQueues.ReadyCountAsync(_queues.Options.DeadLetterName), n => n == 2, TimeSpan.FromSeconds(10),
            n => $"expected 2 dead letters, found {n}");

        var output = new StringWriter();
        await using (var queue = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, _queues.Prefix))
        {
            Assert.Equal((1, 1), await DeadLetterCommands.ReplayAsync(queue, output, limit: 10));
        }

        var report = output.ToString();
        Assert.Contains("left in the queue:", report);
        Assert.Contains("cannot be stored again", report);
        Assert.Contains($"replayed a 13-byte message the broker dead-lettered from {origin}", report);
        Assert.Equal(1u, await RabbitMqQueues.ReadyCountAsync(origin)); // replayed to where it came from
        Assert.Equal(1u, await RabbitMqQueues.ReadyCountAsync(_queues.Options.DeadLetterName)); // kept for inspection
    }

    [Fact]
    public async Task Replay_LooksOnlyAtTheLettersWaitingWhenItStarted()
    {
        // A letter the silos refuse again comes back behind the others: a replay must not take it round and round.
        var origin = _queues.Queue;
        await using var channel = await _queues.Connector.CreateChannelAsync(null, TestContext.Current.CancellationToken);
        await RabbitMqTopology.DeclareQueueAsync(channel, _queues.Options, origin, TestContext.Current.CancellationToken);
        await DeadLetterAsync(channel, origin, "first");
        await using var queue = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, _queues.Prefix);
        await DeadLetterAsync(channel, origin, "after the replay started");

        Assert.Equal(1u, queue.ReadyAtOpen);
        Assert.Equal((1, 0), await DeadLetterCommands.ReplayAsync(queue, TextWriter.Null, limit: 10));
        Assert.Equal(1u, await RabbitMqQueues.ReadyCountAsync(origin));
    }

    /// <summary>A message a receiver rejected, which the broker dead-letters naming its queue.</summary>
    private async Task DeadLetterAsync(IChannel channel, string origin, string text)
    {
        var before = await RabbitMqQueues.ReadyCountAsync(_queues.Options.DeadLetterName);
        await RabbitMqQueues.PublishRawAsync(origin, System.Text.Encoding.UTF8.GetBytes(text));
        var rejected = await channel.BasicGetAsync(origin, autoAck: false, TestContext.Current.CancellationToken);
        Assert.NotNull(rejected);
        await channel.BasicNackAsync(rejected.DeliveryTag, multiple: false, requeue: false, TestContext.Current.CancellationToken);
        await Eventually.Until(() => RabbitMqQueues.ReadyCountAsync(_queues.Options.DeadLetterName), n => n == before + 1, TimeSpan.FromSeconds(10),
            n => $"expected {before + 1} dead letters, found {n}");
    }

    public ValueTask DisposeAsync() => _queues.DisposeAsync();
}
