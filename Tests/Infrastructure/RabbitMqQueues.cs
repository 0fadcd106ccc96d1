using RabbitMQ.Client;

namespace Events.Tests.Infrastructure;

/// <summary>Looks into and cleans up the queues a test's stream provider declared on the real broker.</summary>
public static class RabbitMqQueues
{
    private static ConnectionFactory Factory => new() { HostName = LocalServices.Host, Port = LocalServices.RabbitMqPort };

    /// <summary>Messages ready in the queues (unacknowledged ones are not counted until their channel closes).</summary>
    public static async Task<uint> ReadyCountAsync(string prefix, int queueCount)
    {
        await using var connection = await Factory.CreateConnectionAsync();
        uint total = 0;
        for (var i = 0; i < queueCount; i++)
        {
            // A passive declare on its own channel: a missing queue closes the channel, not the test.
            await using var channel = await connection.CreateChannelAsync();
            total += (await channel.QueueDeclarePassiveAsync($"{prefix}-{i}")).MessageCount;
        }
        return total;
    }

    public static async Task DeleteAsync(string prefix, int queueCount)
    {
        await using var connection = await Factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        for (var i = 0; i < queueCount; i++)
        {
            await channel.QueueDeleteAsync($"{prefix}-{i}");
        }
    }
}
