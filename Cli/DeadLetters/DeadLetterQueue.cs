using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Events.Cli.DeadLetters;

/// <summary>
/// The provider's dead-letter queue (<c>{prefix}.dead-letter</c>). Messages are taken one at a time without
/// acknowledging them: whatever is not explicitly settled goes back to the queue when the channel closes.
/// </summary>
internal sealed class DeadLetterQueue : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private DeadLetterQueue(IConnection connection, IChannel channel, string name, string replayQueue, uint readyAtOpen)
    {
        _connection = connection;
        _channel = channel;
        Name = name;
        ReplayQueue = replayQueue;
        ReadyAtOpen = readyAtOpen;
    }

    public string Name { get; }

    /// <summary>Where refused events go back (<c>{prefix}.replay</c>; the silos read it, Silo/BrokerInputs/ReplayInput).</summary>
    public string ReplayQueue { get; }

    /// <summary>Letters waiting when the queue was opened.</summary>
    public uint ReadyAtOpen { get; }

    public static async Task<DeadLetterQueue> OpenAsync(Uri broker, string queuePrefix)
    {
        var name = $"{queuePrefix}.dead-letter";
        var connection = await new ConnectionFactory { Uri = broker, ClientProvidedName = "events-cli" }.CreateConnectionAsync();
        try
        {
            var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
                publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
            var declared = await channel.QueueDeclarePassiveAsync(name);
            return new DeadLetterQueue(connection, channel, name, $"{queuePrefix}.replay", declared.MessageCount);
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            connection.Dispose();
            throw new InvalidOperationException($"there is no queue '{name}' on {broker.Host}:{broker.Port}: the silos create it when they start (is --queue-prefix right?)");
        }
    }

    public Task<BasicGetResult?> NextAsync() => _channel.BasicGetAsync(Name, autoAck: false);

    public ValueTask AckAsync(BasicGetResult message) => _channel.BasicAckAsync(message.DeliveryTag, multiple: false);

    /// <summary>
    /// Publishes a copy to <paramref name="queue"/> (the one it was dead-lettered from, or the replay queue); completes
    /// when the broker confirmed it. The copy
    /// keeps its publisher's headers, and where an input message first came from (exchange, routing key), but not why
    /// it was dead-lettered.
    /// </summary>
    public async Task ReturnToAsync(string queue, BasicGetResult message)
    {
        var kept = message.BasicProperties.Headers?.Where(h => !DeadLetterHeaders.Contains(h.Key) && !h.Key.StartsWith("x-first-death", StringComparison.Ordinal)
            && !h.Key.StartsWith("x-last-death", StringComparison.Ordinal)).ToDictionary();
        var properties = new BasicProperties(message.BasicProperties) { Headers = kept is { Count: > 0 } ? kept : null };
        await _channel.BasicPublishAsync("", queue, mandatory: true, properties, message.Body);
    }

    private static readonly HashSet<string> DeadLetterHeaders = ["x-death", "x-events-reason", "x-events-queue"];

    public async ValueTask DisposeAsync()
    {
        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }
}
