using Events.Cli.DeadLetters;
using Events.Tests.Infrastructure;

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
        await _queues.DeclareAsync();
        // First in the queue: groups a sink could not read, which no replay can send back.
        await RabbitMqQueues.PublishAsync(_queues.Options.DeadLetterName, [1, 2, 3], DeadLetterMessage.UnreadableContentType);
        // Behind it: a message a receiver rejected, which the broker dead-lettered naming its queue.
        await _queues.RejectToDeadLetterAsync("rejected once");
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
        await _queues.DeclareAsync();
        await _queues.RejectToDeadLetterAsync("first");
        await using var queue = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, _queues.Prefix);
        await _queues.RejectToDeadLetterAsync("after the replay started");

        Assert.Equal(1u, queue.ReadyAtOpen);
        Assert.Equal((1, 0), await DeadLetterCommands.ReplayAsync(queue, TextWriter.Null, limit: 10));
        Assert.Equal(1u, await RabbitMqQueues.ReadyCountAsync(origin));
    }

    public ValueTask DisposeAsync() => _queues.DisposeAsync();
}
