using Orleans.Serialization;
using RabbitMQ.Client;

namespace Events.Streaming.RabbitMQ;

/// <summary>One of the provider's own queues: each message is one Orleans batch a producer published.</summary>
internal sealed class StreamQueueSource(string queue, RabbitMqStreamOptions options, Serializer<RabbitMqBatchContainer> serializer)
    : IRabbitMqQueueSource
{
    public string Queue => queue;

    public ushort PrefetchCount => options.PrefetchCount;

    public int MaxMessagesPerBatch => 1;

    public Task DeclareAsync(IChannel channel, CancellationToken cancellationToken) =>
        RabbitMqTopology.DeclareQueueAsync(channel, options, queue, cancellationToken);

    public RabbitMqRead Read(IReadOnlyList<RabbitMqDelivery> deliveries, int maxBatches)
    {
        var read = new RabbitMqRead();
        foreach (var delivery in deliveries)
        {
            try
            {
                var container = serializer.Deserialize(delivery.Body);
                if (container is null) read.Refused.Add((delivery, "empty Orleans stream batch"));
                else read.Batches.Add((container, [delivery]));
            }
            catch (Exception exception)
            {
                read.Refused.Add((delivery, $"not an Orleans stream batch ({exception.GetType().Name}: {exception.Message})"));
            }
        }
        return read;
    }

    // The broker dead-letters it; its x-death header names this queue, so `dlq replay` can return it here.
    public Task<bool> KeepRefusedAsync(RabbitMqDelivery delivery, string reason, CancellationToken cancellationToken) =>
        Task.FromResult(false);
}
