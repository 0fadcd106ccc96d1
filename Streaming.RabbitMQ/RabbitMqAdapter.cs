using CommunityToolkit.HighPerformance.Buffers;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Streams;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// Writes each producer call as one persistent message to the queue its stream hashes to, and creates the
/// receivers that read the queues this silo owns: the provider's own queues and the input queues.
/// </summary>
internal sealed class RabbitMqAdapter(
    string name,
    RabbitMqStreamOptions options,
    RabbitMqQueueMapper queueMapper,
    Serializer<RabbitMqBatchContainer> serializer,
    RabbitMqClient client,
    Func<string, IRabbitMqMessageDecoder> decoders,
    ILoggerFactory loggerFactory) : IQueueAdapter
{
    public string Name => name;

    // Messages leave RabbitMQ once acknowledged: there is nothing to rewind to.
    public bool IsRewindable => false;

    public StreamProviderDirection Direction => StreamProviderDirection.ReadWrite;

    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token,
        Dictionary<string, object>? requestContext)
    {
        if (token is not null)
        {
            throw new ArgumentException("RabbitMQ streams are not rewindable: publish without a sequence token.", nameof(token));
        }
        var container = new RabbitMqBatchContainer(streamId, events.Cast<object>().ToList(), requestContext);
        var queue = options.QueueName((int)queueMapper.GetQueueForStream(streamId).GetNumericId());
        // Pooled: at peak a message is ~130 KB, and a fresh array per message would be a large-object allocation, which
        // only a full collection frees. The client copies the body into its frames before the publish completes.
        using var body = new ArrayPoolBufferWriter<byte>(16 * 1024);
        serializer.Serialize(container, body);
        await client.Publisher.PublishAsync(queue, body.WrittenMemory, CancellationToken.None);
    }

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId)
    {
        IRabbitMqQueueSource source = queueMapper.TryGetInput(queueId, out var input)
            ? new InputQueueSource(input, options, decoders(input.Decoder), client.Publisher, client.ConsumeConnector)
            : new StreamQueueSource(options.QueueName((int)queueId.GetNumericId()), options, serializer);
        return new RabbitMqReceiver(source, options, client.ConsumeConnector, loggerFactory.CreateLogger<RabbitMqReceiver>(), client.Backlog);
    }
}
