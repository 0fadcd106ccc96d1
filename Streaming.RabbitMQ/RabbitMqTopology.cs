using RabbitMQ.Client;

namespace Events.Streaming.RabbitMQ;

/// <summary>The queues the provider owns. Declaring is idempotent, so publishers and receivers both do it.</summary>
internal static class RabbitMqTopology
{
    // One consumer at a time per queue: while silos hand a queue over, the old owner keeps it until it lets go,
    // instead of two silos reading it side by side.
    private static readonly Dictionary<string, object?> QueueArguments = new() { ["x-single-active-consumer"] = true };

    public static Task DeclareQueueAsync(IChannel channel, string queue, CancellationToken cancellationToken) =>
        channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, QueueArguments,
            cancellationToken: cancellationToken);
}
