using RabbitMQ.Client;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// What a receiver's queue holds and how to read it: the provider's own stream queues (Orleans batches) or an input
/// queue (other services' messages, read by a decoder). The receiver does the rest the same way for both: channel,
/// prefetch, acknowledgement after delivery, returning what the agent gave up on.
/// </summary>
internal interface IRabbitMqQueueSource
{
    string Queue { get; }

    ushort PrefetchCount { get; }

    /// <summary>How many messages one batch may carry.</summary>
    int MaxMessagesPerBatch { get; }

    /// <summary>Declares the queue (and what it is bound to) on the receiver's channel. Idempotent.</summary>
    Task DeclareAsync(IChannel channel, CancellationToken cancellationToken);

    /// <summary>
    /// Turns deliveries, oldest first, into at most <paramref name="maxBatches"/> batches; an input whose messages name
    /// more stream keys than that makes one batch per key.
    /// </summary>
    RabbitMqRead Read(IReadOnlyList<RabbitMqDelivery> deliveries, int maxBatches);

    /// <summary>
    /// Keeps a message that cannot be read, with the reason. True: it is kept and the receiver acknowledges it;
    /// false: the receiver rejects it and the broker dead-letters it (its x-death header names the queue).
    /// </summary>
    Task<bool> KeepRefusedAsync(RabbitMqDelivery delivery, string reason, CancellationToken cancellationToken);
}
