using System.Text.Json;
using Events.Bench.Measure;

namespace Events.Tests.Bench;

/// <summary>Reading the management API's queue list: RabbitMQ writes the stats of an idle queue as [], not {}.</summary>
public sealed class RabbitMqQueueStatsTests
{
    [Fact]
    public void Totals_QueueWithoutStatsYet_CountsItsMessagesAndNoPublishes()
    {
        using var json = JsonDocument.Parse("""
            [
              {"name": "p-0", "messages": 2, "message_bytes": 300, "message_stats": {"publish": 7}},
              {"name": "p-1", "messages": 1, "message_bytes": 50, "message_stats": []},
              {"name": "p-2", "messages": 0, "message_bytes": 0},
              {"name": "p-dead-letters", "messages": 9, "message_bytes": 900, "message_stats": {"publish": 9}},
              {"name": "other-0", "messages": 4, "message_bytes": 400}
            ]
            """);

        var totals = RabbitMqQueueStats.Totals(json.RootElement, "p");

        Assert.Equal(new QueueTotals(Queues: 3, Published: 7, Messages: 3, Bytes: 350), totals);
    }
}
