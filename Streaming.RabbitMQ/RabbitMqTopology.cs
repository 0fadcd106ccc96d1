using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// The queues the provider owns. Declaring is idempotent, so publishers and receivers both do it.
/// Every stream queue dead-letters into one fanout exchange bound to one durable queue, so a rejected message
/// is kept, with the broker's <c>x-death</c> header saying where it came from.
/// </summary>
internal static class RabbitMqTopology
{
    private const ushort NotFound = 404;

    public static async Task DeclareQueueAsync(IChannel channel, RabbitMqStreamOptions options, string queue, CancellationToken cancellationToken)
    {
        await DeclareDeadLetterAsync(channel, options, cancellationToken);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, QueueArguments(options),
            cancellationToken: cancellationToken);
    }

    /// <summary>An input queue, bound to its exchange once per routing key; the exchange is declared if absent (when allowed).</summary>
    public static async Task DeclareInputAsync(IChannel channel, RabbitMqConnector connector, RabbitMqStreamOptions options,
        RabbitMqInputOptions input, CancellationToken cancellationToken)
    {
        await DeclareDeadLetterAsync(channel, options, cancellationToken);
        if (!input.DeclareExchange || await ExchangeExistsAsync(connector, input.Exchange, cancellationToken))
        {
            await channel.ExchangeDeclarePassiveAsync(input.Exchange, cancellationToken);
        }
        else
        {
            await channel.ExchangeDeclareAsync(input.Exchange, input.ExchangeType, durable: true, autoDelete: false,
                cancellationToken: cancellationToken);
        }
        if (input.DeclareQueue)
        {
            await channel.QueueDeclareAsync(input.Queue, durable: true, exclusive: false, autoDelete: false, QueueArguments(options),
                cancellationToken: cancellationToken);
        }
        else
        {
            await channel.QueueDeclarePassiveAsync(input.Queue, cancellationToken);
        }
        foreach (var key in input.RoutingKeys.Count > 0 ? input.RoutingKeys : [""])
        {
            await channel.QueueBindAsync(input.Queue, input.Exchange, key, cancellationToken: cancellationToken);
        }
    }

    public static async Task DeclareDeadLetterAsync(IChannel channel, RabbitMqStreamOptions options, CancellationToken cancellationToken)
    {
        var name = options.DeadLetterName;
        await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(name, name, routingKey: "", cancellationToken: cancellationToken);
    }

    private static Dictionary<string, object?> QueueArguments(RabbitMqStreamOptions options) => new()
    {
        // One consumer at a time per queue: while silos hand a queue over, the old owner keeps it until it
        // lets go, instead of two silos reading it side by side.
        ["x-single-active-consumer"] = true,
        ["x-dead-letter-exchange"] = options.DeadLetterName,
    };

    // An existing exchange is used as its owner declared it (redeclaring it with another type would fail). The check
    // runs on a channel of its own because the broker closes a channel whose passive declare finds nothing.
    private static async Task<bool> ExchangeExistsAsync(RabbitMqConnector connector, string exchange, CancellationToken cancellationToken)
    {
        await using var probe = await connector.CreateChannelAsync(null, cancellationToken);
        try
        {
            await probe.ExchangeDeclarePassiveAsync(exchange, cancellationToken);
            return true;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == NotFound)
        {
            return false;
        }
    }
}
