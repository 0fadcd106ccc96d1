using Events.Bench.Measure;
using Events.Cli.DeadLetters;
using Events.Grains;
using Events.Grains.Publishing;
using Events.Streaming.RabbitMQ;
using Events.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Events.Tests.EndToEnd;

/// <summary>
/// A stream message whose serialized groups no silo can read (an incompatible version wrote them, or they are damaged)
/// must not fail its stream's deliveries for days, nor take the messages delivered with it down: it goes to the
/// dead-letter queue as it came, and the rest of its delivery is stored.
/// </summary>
public sealed class UnreadableSinkMessageTests(PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    private static readonly TimeSpan ManagementStatsInterval = TimeSpan.FromSeconds(6);
    private static readonly Uri ManagementUri = new($"http://{LocalServices.Host}:{LocalServices.RabbitMqManagementPort}/");

    [Fact]
    public async Task UnreadableGroups_AreDeadLettered_AndTheReadableMessageBesideThemIsStored()
    {
        await pipeline.WaitForTableAsync("event");
        var id = "readable-" + Guid.NewGuid().ToString("N");
        var now = DateTime.UtcNow;
        var unreadable = new SinkBatch
        {
            Table = "event",
            EncodedGroups = [0xFF, 0x13, 0x37, 0x00, 0x42, 0xFE, 0x01],
            EncodedEventCount = 3,
            EncodedReceivedAtUtc = now,
        };
        var readable = new SinkBatch { Table = "event", Groups = [Group(id, now)] };

        // One stream message with both: the sink gets them in one delivery, as a publisher's coalesced batch would come.
        var container = new RabbitMqBatchContainer(SinkStreams.For("event", 0), [unreadable, readable], null);
        await RabbitMqQueues.PublishRawAsync($"{pipeline.QueuePrefix}-0", Serializer().SerializeToArray(container));

        Assert.Single(await pipeline.WaitForRowsAsync("event", $"event_id = '{id}'", 1));
        var deadLetters = RabbitMqQueues.DeadLetterQueue(pipeline.QueuePrefix);
        await Eventually.Until(() => RabbitMqQueues.ReadyCountAsync(deadLetters), count => count == 1, TimeSpan.FromSeconds(10),
            count => $"{count} dead letters");
        // Acknowledged, so never delivered again. The broker refreshes these figures every 5 s: older ones could be
        // from before the message was published.
        await Task.Delay(ManagementStatsInterval, TestContext.Current.CancellationToken);
        using (var queues = new RabbitMqQueueStats(ManagementUri, LocalServices.RabbitMqUri, pipeline.QueuePrefix))
        {
            await Eventually.Until(async () => (await queues.SnapshotAsync())?.Messages, n => n == 0, TimeSpan.FromSeconds(30),
                n => $"stream queues: {n?.ToString() ?? "no answer (" + queues.LastError + ")"} messages ready or unacknowledged");
        }

        var listing = new StringWriter();
        await using (var queue = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, pipeline.QueuePrefix))
        {
            Assert.Equal(1, await DeadLetterCommands.ListAsync(queue, listing, limit: 10));
        }
        Assert.Contains("3 events for table event that its sink could not read (7 bytes of serialized groups): its groups could not be read",
            listing.ToString());
        await using (var queue = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, pipeline.QueuePrefix))
        {
            var replay = new StringWriter();
            Assert.Equal((0, 1), await DeadLetterCommands.ReplayAsync(queue, replay, limit: 10));
            Assert.Contains("cannot be stored again", replay.ToString());
        }
        Assert.Equal(1u, await RabbitMqQueues.ReadyCountAsync(deadLetters)); // kept for inspection
    }

    private static EventGroup Group(string id, DateTime receivedAtUtc) => new()
    {
        Source = "grpc",
        EventName = "LaunchEvent",
        Header = new EventHeader { DeviceId = "unreadable-test" },
        Events = [new IngestedEvent { Id = id, Name = "LaunchEvent", TimestampMs = new DateTimeOffset(receivedAtUtc).ToUnixTimeMilliseconds() }],
        ReceivedAtUtc = receivedAtUtc,
    };

    private static Serializer<RabbitMqBatchContainer> Serializer() =>
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer<RabbitMqBatchContainer>>();
}
