using Events.Cli.DeadLetters;
using Events.Tests.Infrastructure;

namespace Events.Tests.Webhooks;

/// <summary>
/// A webhook event its table refused is kept like a client's, and <c>dlq replay</c> brings it back after the fix:
/// through the replay queue into the table that refused it, with its provider's columns, although no door it could
/// be sent through again would accept it without the provider's signature. A pipeline of its own: the test counts the
/// dead letters, and the other webhook tests leave some in theirs.
/// </summary>
public sealed class WebhookDeadLetterReplayTests
{
    [Fact]
    public async Task RefusedWebhookEvent_IsDeadLettered_AndReplayedIntoItsTableAfterTheFix()
    {
        await using var pipeline = new PipelineFixture();
        pipeline.ApiEnvironment["Events__Webhooks__Branch__Token"] = WebhookFixture.Credentials["branch"];
        await pipeline.InitializeAsync();
        using var sender = new WebhookSender(pipeline.HttpPort);
        var c = ProviderCases.Branch;
        var sample = Sample.New() with { Id = "poison-" + Guid.NewGuid().ToString("N") };
        var deadLetters = RabbitMqQueues.DeadLetterQueue(pipeline.QueuePrefix);
        var table = $"`{pipeline.Database}`.`{c.Table}`";
        await pipeline.WaitForTableAsync(c.Table);
        await pipeline.ClickHouse.ExecuteAsync($"ALTER TABLE {table} ADD CONSTRAINT no_poison CHECK event_id NOT LIKE 'poison-%'");
        try
        {
            Assert.Equal(1, (await sender.DeliverAsync(c.Request(sample))).GetProperty("accepted").GetInt32());

            var error = Assert.Single(await pipeline.WaitForRowsAsync("error_event", $"event_id = '{sample.Id}'", 1));
            Assert.Equal(c.Table, error.GetProperty("target_table").GetString());
            await Eventually.Until(() => RabbitMqQueues.ReadyCountAsync(deadLetters), count => count == 1, TimeSpan.FromSeconds(10),
                count => $"{count} dead letters");
        }
        finally
        {
            await pipeline.ClickHouse.ExecuteAsync($"ALTER TABLE {table} DROP CONSTRAINT no_poison");
        }

        var output = new StringWriter();
        await using (var queue = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, pipeline.QueuePrefix))
        {
            Assert.Equal((1, 0), await DeadLetterCommands.ReplayAsync(queue, output, limit: 10));
        }
        Assert.Contains("from branch refused by table branch_event", output.ToString());

        var row = Assert.Single(await pipeline.WaitForRowsAsync(c.Table, c.Where(sample), 1));
        Assert.Equal(sample.Id, row.GetProperty("event_id").GetString());
        Assert.Equal(c.ExpectedName, row.GetProperty("event_name").GetString());
        c.CheckColumns(row, sample);
        Assert.Equal(0u, await RabbitMqQueues.ReadyCountAsync(deadLetters));
    }
}
