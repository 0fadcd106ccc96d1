using RabbitMQ.Client;

namespace Events.Tests.Infrastructure;

/// <summary>Looks into, feeds and cleans up the queues a test's stream provider declared on the real broker.</summary>
public static class RabbitMqQueues
{
    private static ConnectionFactory Factory => new() { HostName = LocalServices.Host, Port = LocalServices.RabbitMqPort };

    public static string DeadLetterQueue(string prefix) => $"{prefix}.dead-letter";

    /// <summary>Messages ready in the stream queues (unacknowledged ones are not counted until their channel closes).</summary>
    public static async Task<uint> ReadyCountAsync(string prefix, int queueCount)
    {
        uint total = 0;
        for (var i = 0; i < queueCount; i++)
        {
            total += await ReadyCountAsync($"{prefix}-{i}");
        }
        return total;
    }

    public static async Task<uint> ReadyCountAsync(string queue)
    {
        await using var connection = await Factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    /// <summary>Consumers the broker has registered on a queue.</summary>
    public static async Task<uint> ConsumerCountAsync(string queue)
    {
        await using var connection = await Factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount;
    }

    /// <summary>Puts bytes straight into a queue, as a foreign or broken producer would.</summary>
    public static Task PublishRawAsync(string queue, byte[] body) => PublishAsync(queue, body, contentType: null);

    /// <summary>Puts a message with a content type straight into a queue, as a silo writing a dead letter would.</summary>
    public static async Task PublishAsync(string queue, byte[] body, string? contentType, IDictionary<string, object?>? headers = null)
    {
        await using var connection = await Factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        var properties = new BasicProperties { Persistent = true, ContentType = contentType, Headers = headers };
        await channel.BasicPublishAsync("", queue, mandatory: true, properties, body);
    }

    public static async Task PurgeAsync(string queue)
    {
        await using var connection = await Factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueuePurgeAsync(queue);
    }

    public static async Task DeleteAsync(string prefix, int queueCount)
    {
        await using var connection = await Factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        for (var i = 0; i < queueCount; i++)
        {
            await channel.QueueDeleteAsync($"{prefix}-{i}");
        }
        await channel.QueueDeleteAsync(DeadLetterQueue(prefix));
        await channel.ExchangeDeleteAsync(DeadLetterQueue(prefix));
        // The replay queue a silo of the application declares (Silo/BrokerInputs/ReplayInput).
        await channel.QueueDeleteAsync($"{prefix}.replay");
        await channel.ExchangeDeleteAsync($"{prefix}.replay");
    }
}
