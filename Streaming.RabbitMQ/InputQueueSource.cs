using Orleans.Runtime;
using RabbitMQ.Client;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// An input queue: messages other services published to an exchange, read by the application's decoder. Messages
/// read together are folded into a few batches per stream key, spread over the input's streams, so its consumers store many
/// messages per delivery and several deliveries at once. A message the decoder refuses goes to the dead-letter queue
/// with the reason in its <c>x-events-reason</c> header.
/// </summary>
internal sealed class InputQueueSource(
    RabbitMqInputOptions input,
    RabbitMqStreamOptions options,
    IRabbitMqMessageDecoder decoder,
    RabbitMqPublisher publisher,
    RabbitMqConnector connector) : IRabbitMqQueueSource
{
    private const int MaxReasonLength = 1000;
    private readonly Dictionary<string, StreamId[]> _streams = new(StringComparer.Ordinal);
    private int _nextStream;

    public string Queue => input.Queue;

    public ushort PrefetchCount => input.PrefetchCount > 0 ? input.PrefetchCount : options.PrefetchCount;

    public int MaxMessagesPerBatch => input.MaxMessagesPerBatch;

    public Task DeclareAsync(IChannel channel, CancellationToken cancellationToken) =>
        RabbitMqTopology.DeclareInputAsync(channel, connector, options, input, cancellationToken);

    public RabbitMqRead Read(IReadOnlyList<RabbitMqDelivery> deliveries, int maxBatches)
    {
        var read = new RabbitMqRead();
        var byKey = new Dictionary<string, List<(RabbitMqDelivery Delivery, IReadOnlyList<object> Events)>>(StringComparer.Ordinal);
        foreach (var delivery in deliveries)
        {
            var result = Decode(delivery);
            var key = result.StreamKey ?? input.StreamKey;
            if (result.Refusal is { } reason) read.Refused.Add((delivery, reason));
            else if (string.IsNullOrEmpty(key)) read.Refused.Add((delivery, $"the input '{input.Queue}' has no StreamKey and its decoder named none for this message"));
            else (byKey.TryGetValue(key, out var messages) ? messages : byKey[key] = []).Add((delivery, result.Events));
        }
        // A message naming its key is rare (a replay queue); each key gets its share of the batches, at least one.
        foreach (var (key, decoded) in byKey)
        {
            AddBatches(read, key, decoded, Math.Max(1, maxBatches / byKey.Count));
        }
        return read;
    }

    private void AddBatches(RabbitMqRead read, string key, List<(RabbitMqDelivery Delivery, IReadOnlyList<object> Events)> decoded, int maxBatches)
    {
        var streams = StreamsFor(key);
        // Enough batches to give every stream work, no more than needed to keep each within MaxMessagesPerBatch.
        var perBatch = input.MaxMessagesPerBatch;
        var count = Math.Min(maxBatches, Math.Max(Math.Min(streams.Length, decoded.Count), (decoded.Count + perBatch - 1) / perBatch));
        for (var batch = 0; batch < count; batch++)
        {
            var part = decoded[(batch * decoded.Count / count)..((batch + 1) * decoded.Count / count)];
            var stream = streams[_nextStream++ % streams.Length];
            var events = Combine(part.SelectMany(message => message.Events).ToList());
            read.Batches.Add((new RabbitMqBatchContainer(stream, [.. events], requestContext: null), part.Select(m => m.Delivery).ToArray()));
        }
    }

    private StreamId[] StreamsFor(string key)
    {
        if (!_streams.TryGetValue(key, out var streams))
        {
            _streams[key] = streams = Enumerable.Range(0, input.Streams)
                .Select(shard => StreamId.Create(input.StreamNamespaceFor(shard), key)).ToArray();
        }
        return streams;
    }

    public async Task<bool> KeepRefusedAsync(RabbitMqDelivery delivery, string reason, CancellationToken cancellationToken)
    {
        var (exchange, routingKey) = Origin(delivery);
        var properties = new BasicProperties(delivery.Properties)
        {
            Persistent = true,
            Headers = new Dictionary<string, object?>(delivery.Properties.Headers ?? new Dictionary<string, object?>())
            {
                ["x-events-reason"] = reason.Length <= MaxReasonLength ? reason : reason[..MaxReasonLength],
                ["x-events-queue"] = input.Queue,
                ["x-events-exchange"] = exchange,
                ["x-events-routing-key"] = routingKey,
            },
        };
        await publisher.PublishDeadLetterAsync(delivery.Body, properties, cancellationToken);
        return true;
    }

    private RabbitMqDecodeResult Decode(RabbitMqDelivery delivery)
    {
        try
        {
            var (exchange, routingKey) = Origin(delivery);
            return decoder.Decode(new RabbitMqInputMessage(input, exchange, routingKey, delivery.Body, delivery.Properties,
                delivery.Redelivered)) ?? RabbitMqDecodeResult.Refuse("the decoder returned nothing");
        }
        catch (Exception exception)
        {
            // A decoder bug must not stop the queue: the message is kept with the error for a replay after the fix.
            return RabbitMqDecodeResult.Refuse($"decoder '{input.Decoder}' failed: {exception.GetType().Name}: {exception.Message}");
        }
    }

    // A dead letter returned straight to this queue (`dlq replay`) came through the default exchange: it is read as it
    // first came, from its exchange with its routing key, which its dead-lettering recorded.
    private static (string Exchange, string RoutingKey) Origin(RabbitMqDelivery delivery) =>
        delivery.Exchange.Length == 0 && Header(delivery, "x-events-exchange") is { Length: > 0 } exchange
            ? (exchange, Header(delivery, "x-events-routing-key") ?? delivery.RoutingKey)
            : (delivery.Exchange, delivery.RoutingKey);

    private static string? Header(RabbitMqDelivery delivery, string name) =>
        delivery.Properties.Headers?.TryGetValue(name, out var value) == true && value is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    private IReadOnlyList<object> Combine(IReadOnlyList<object> events)
    {
        try
        {
            return decoder.Combine(events);
        }
        catch (Exception)
        {
            return events; // unfolded, the consumer gets the same events one call at a time
        }
    }
}
