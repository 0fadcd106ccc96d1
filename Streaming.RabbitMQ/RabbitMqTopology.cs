using RabbitMQ.Client;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// The queues the provider owns. Declaring is idempotent, so publishers and receivers both do it.
/// Every stream queue dead-letters into one fanout exchange bound to one durable queue, so a rejected message
/// is kept, with the broker's <c>x-death</c> header saying where it came from.
/// </summary>
internal static class RabbitMqTopology
{
    public static async Task DeclareQueueAsync(IChannel channel, RabbitMqStreamOptions options, string queue, CancellationToken cancellationToken)
    {
        await DeclareDeadLetterAsync(channel, options, cancellationToken);
        var arguments = new Dictionary<string, object?>
        {
            // One consumer at a time per queue: while silos hand a queue over, the old owner keeps it until it
            // lets go, instead of two silos reading it side by side.
            ["x-single-active-consumer"] = true,
            ["x-dead-letter-exchange"] = options.DeadLetterName,
        };
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments,
            cancellationToken: cancellationToken);
    }

    public static async Task DeclareDeadLetterAsync(IChannel channel, RabbitMqStreamOptions options, CancellationToken cancellationToken)
    {
        var name = options.DeadLetterName;
        await channel.ExchangeDeclareAsync(name, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(name, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(name, name, routingKey: "", cancellationToken: cancellationToken);
    }
}
