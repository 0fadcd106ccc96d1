using Orleans;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// One RabbitMQ message: the events one producer call put on one stream. Serialized with the Orleans serializer
/// for the broker, and again when the pulling agent hands it to a consumer grain on any silo.
/// </summary>
[GenerateSerializer, Alias("events.rabbitmq.batch")]
public sealed class RabbitMqBatchContainer : IBatchContainer
{
    public RabbitMqBatchContainer(StreamId streamId, List<object> events, Dictionary<string, object>? requestContext)
    {
        StreamId = streamId;
        Events = events;
        RequestContext = requestContext;
    }

    [Id(0)] public StreamId StreamId { get; }
    [Id(1)] public List<object> Events { get; }
    [Id(2)] public Dictionary<string, object>? RequestContext { get; }

    /// <summary>Set by the receiver when the message is read; names the delivery to acknowledge later.</summary>
    [Id(3)] public EventSequenceTokenV2 Token { get; set; } = new(0);

    public StreamSequenceToken SequenceToken => Token;

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() =>
        Events.OfType<T>().Select((item, index) => Tuple.Create(item, (StreamSequenceToken)Token.CreateSequenceTokenForEvent(index)));

    public bool ImportRequestContext()
    {
        if (RequestContext is null) return false;
        RequestContextExtensions.Import(RequestContext);
        return true;
    }

    public override string ToString() => $"RabbitMqBatchContainer({StreamId}, {Events.Count} events, {Token})";
}
