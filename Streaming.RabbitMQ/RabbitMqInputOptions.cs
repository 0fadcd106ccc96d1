namespace Events.Streaming.RabbitMQ;

/// <summary>
/// A queue bound to an exchange that other services publish to, read by the provider's pulling agents like its own
/// queues. Its messages were not written by Orleans: an application decoder turns each into stream events.
/// </summary>
public sealed class RabbitMqInputOptions
{
    /// <summary>Placeholder in <see cref="StreamNamespace"/> for the stream's index when <see cref="Streams"/> &gt; 1.</summary>
    public const string ShardPlaceholder = "{shard}";

    /// <summary>The queue to consume (durable). Required.</summary>
    public string Queue { get; set; } = "";

    /// <summary>The exchange the queue is bound to. Required.</summary>
    public string Exchange { get; set; } = "";

    /// <summary>The type the exchange is declared with when it does not exist yet: direct, topic or fanout. Default topic.</summary>
    public string ExchangeType { get; set; } = "topic";

    /// <summary>The queue is bound once per routing key (ignored by fanout exchanges). At least one for direct and topic.</summary>
    public List<string> RoutingKeys { get; set; } = [];

    /// <summary>
    /// True (default): an absent exchange is declared (durable, <see cref="ExchangeType"/>); an existing one is used as it is.
    /// False: the exchange must exist; the queue is not read until it does.
    /// </summary>
    public bool DeclareExchange { get; set; } = true;

    /// <summary>
    /// True (default): the queue is declared durable, single-active-consumer, dead-lettering to the provider's
    /// dead-letter exchange. False: the queue must exist and is used with the arguments it has (a queue another
    /// consumer declared differently cannot be redeclared).
    /// </summary>
    public bool DeclareQueue { get; set; } = true;

    /// <summary>The namespace of the streams the events go to; holds <c>{shard}</c> when <see cref="Streams"/> &gt; 1. Required.</summary>
    public string StreamNamespace { get; set; } = "";

    /// <summary>
    /// The key of the streams the events go to, unless the decoder names one per message
    /// (<see cref="RabbitMqDecodeResult.StreamKey"/>). Empty: every message must name its key, or it is refused.
    /// </summary>
    public string StreamKey { get; set; } = "";

    /// <summary>
    /// How many streams (<c>{shard}</c> = 0 … Streams-1) the messages are spread over. A stream has one delivery in
    /// flight at a time, so this is how many deliveries of this queue its consumers work on at once. Default 1.
    /// </summary>
    public int Streams { get; set; } = 1;

    /// <summary>Messages folded into one delivery to a stream (see <see cref="IRabbitMqMessageDecoder.Combine"/>). Default 100.</summary>
    public int MaxMessagesPerBatch { get; set; } = 100;

    /// <summary>Unacknowledged messages the broker hands this queue's consumer; 0 (default) = the provider's PrefetchCount.</summary>
    public ushort PrefetchCount { get; set; }

    /// <summary>The name of the keyed <see cref="IRabbitMqMessageDecoder"/> service that reads this queue's messages. Required.</summary>
    public string Decoder { get; set; } = "";

    private static readonly string[] ExchangeTypes = ["direct", "topic", "fanout"];

    /// <summary>The namespace of stream <paramref name="shard"/>.</summary>
    public string StreamNamespaceFor(int shard) => StreamNamespace.Replace(ShardPlaceholder, shard.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Every problem with this input, prefixed with where it is (<c>Inputs:0</c>).</summary>
    public IEnumerable<string> Problems(string at)
    {
        if (string.IsNullOrWhiteSpace(Queue)) yield return $"{at}:Queue is required.";
        if (string.IsNullOrWhiteSpace(Exchange)) yield return $"{at}:Exchange is required (the default exchange cannot be bound).";
        if (!ExchangeTypes.Contains(ExchangeType)) yield return $"{at}:ExchangeType '{ExchangeType}' must be one of {string.Join(", ", ExchangeTypes)}.";
        if (ExchangeType != "fanout" && RoutingKeys.Count == 0) yield return $"{at}:RoutingKeys needs at least one key for a {ExchangeType} exchange.";
        if (RoutingKeys.Any(key => key is null)) yield return $"{at}:RoutingKeys holds an empty entry.";
        if (string.IsNullOrWhiteSpace(StreamNamespace)) yield return $"{at}:StreamNamespace is required.";
        else if (Streams > 1 && !StreamNamespace.Contains(ShardPlaceholder))
            yield return $"{at}:StreamNamespace must contain {ShardPlaceholder} when Streams is {Streams}.";
        if (Streams is < 1 or > 1024) yield return $"{at}:Streams must be between 1 and 1024 (was {Streams}).";
        if (MaxMessagesPerBatch is < 1 or > 10_000) yield return $"{at}:MaxMessagesPerBatch must be between 1 and 10000 (was {MaxMessagesPerBatch}).";
        if (string.IsNullOrWhiteSpace(Decoder)) yield return $"{at}:Decoder is required.";
    }
}
