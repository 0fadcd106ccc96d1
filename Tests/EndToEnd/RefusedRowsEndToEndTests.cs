using System.Text.Json;
using Events.Cli.DeadLetters;
using Events.Tests.Infrastructure;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.EndToEnd;

/// <summary>
/// An event the table refuses (here: a constraint an operator added) must not hold back its batch nor be lost:
/// it ends in error_event and the dead-letter queue, the rest of the batch is stored, and after a fix
/// <c>dlq replay</c> brings it in through the replay queue.
/// </summary>
public sealed class RefusedRowsEndToEndTests(PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    [Fact]
    public async Task RefusedEvent_IsDeadLettered_AndTheRestOfItsBatchIsStored()
    {
        var device = "dev-" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await pipeline.WaitForTableAsync("event");
        await pipeline.ClickHouse.ExecuteAsync(
            $"ALTER TABLE `{pipeline.Database}`.event ADD CONSTRAINT no_poison CHECK event_id NOT LIKE 'poison-%'");

        await pipeline.DispatchAsync(Batch(Header(device),
            Launch($"{device}-1", now), Launch($"poison-{device}", now), PageOpened($"{device}-2", now), AddToCart($"{device}-3", now)));

        var stored = await pipeline.WaitForRowsAsync("event", $"device_id = '{device}'", 3);
        Assert.Equal([$"{device}-1", $"{device}-2", $"{device}-3"], stored.Select(r => r.GetProperty("event_id").GetString()).Order());
        var error = Assert.Single(await pipeline.WaitForRowsAsync("error_event", $"device_id = '{device}'", 1));
        Assert.Equal($"poison-{device}", error.GetProperty("event_id").GetString());
        Assert.Equal("event", error.GetProperty("target_table").GetString());
        Assert.Equal(3, error.GetProperty("error_attempts").GetInt32()); // tried alone once, retried twice
        Assert.Contains("469", error.GetProperty("error_reason").GetString()); // VIOLATED_CONSTRAINT
        await Eventually.Until(() => RabbitMqQueues.ReadyCountAsync(RabbitMqQueues.DeadLetterQueue(pipeline.QueuePrefix)),
            count => count == 1, TimeSpan.FromSeconds(10), count => $"{count} dead letters");

        // The operator sees why, fixes the table, and replays: the event is stored and leaves the queue.
        var listing = new StringWriter();
        await using (var queue = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, pipeline.QueuePrefix))
        {
            Assert.Equal(1, await DeadLetterCommands.ListAsync(queue, listing, limit: 10));
        }
        Assert.Contains($"poison-{device}", listing.ToString());
        Assert.Contains("refused by table event after 3 attempts", listing.ToString());
        await pipeline.ClickHouse.ExecuteAsync($"ALTER TABLE `{pipeline.Database}`.event DROP CONSTRAINT no_poison");
        await using (var queue = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, pipeline.QueuePrefix))
        {
            Assert.Equal((1, 0), await DeadLetterCommands.ReplayAsync(queue, TextWriter.Null, limit: 10));
        }
        var replayed = Assert.Single(await pipeline.WaitForRowsAsync("event", $"event_id = 'poison-{device}'", 1));
        Assert.Equal(device, replayed.GetProperty("device_id").GetString());
        Assert.Equal(0u, await RabbitMqQueues.ReadyCountAsync(RabbitMqQueues.DeadLetterQueue(pipeline.QueuePrefix)));
    }

    [Fact]
    public async Task ALetterTheSilosCannotStore_ComesBackWithTheReason_AndTheLettersBehindItAreStored()
    {
        var device = "dev-" + Guid.NewGuid().ToString("N");
        var deadLetters = RabbitMqQueues.DeadLetterQueue(pipeline.QueuePrefix);
        await pipeline.WaitForTableAsync("event");
        await RabbitMqQueues.PublishAsync(deadLetters, Letter(device, id: ""), DeadLetterMessage.ContentType);
        await RabbitMqQueues.PublishAsync(deadLetters, Letter(device, id: $"{device}-ok"), DeadLetterMessage.ContentType);

        try
        {
            await using (var queue = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, pipeline.QueuePrefix))
            {
                Assert.Equal((2, 0), await DeadLetterCommands.ReplayAsync(queue, TextWriter.Null, limit: 10));
            }
            Assert.Single(await pipeline.WaitForRowsAsync("event", $"event_id = '{device}-ok'", 1));
            // The replay queue's reader refused the letter without an id: it is back, saying why.
            await Eventually.Until(() => RabbitMqQueues.ReadyCountAsync(deadLetters), count => count == 1, TimeSpan.FromSeconds(10),
                count => $"{count} dead letters");
            var listing = new StringWriter();
            await using (var queue = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, pipeline.QueuePrefix))
            {
                Assert.Equal(1, await DeadLetterCommands.ListAsync(queue, listing, limit: 10));
            }
            Assert.Contains("event 0 of the letter has no id", listing.ToString());
        }
        finally
        {
            await RabbitMqQueues.PurgeAsync(deadLetters); // the other test counts this queue's letters
        }
    }

    private static byte[] Letter(string device, string id) => JsonSerializer.SerializeToUtf8Bytes(
        new DeadLetterMessage("event", "refused for the test", 3, new DeadLetterGroup("grpc", "LaunchEvent",
            JsonSerializer.SerializeToElement(new { deviceId = device }),
            [new DeadLetterEvent(id, "LaunchEvent", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "", "{}")])),
        DeadLetterMessage.Json);
}
