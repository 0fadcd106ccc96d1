namespace Events.Streaming.RabbitMQ;

/// <summary>
/// Turns a message another service published (see <see cref="RabbitMqStreamOptions.Inputs"/>) into stream events.
/// Registered by the application as a keyed service under the input's <see cref="RabbitMqInputOptions.Decoder"/> name.
/// Called on the pulling agent's thread: it must not block. A message it refuses (or throws on) is put into the
/// provider's dead-letter queue with the reason, and the messages behind it keep flowing.
/// </summary>
public interface IRabbitMqMessageDecoder
{
    RabbitMqDecodeResult Decode(RabbitMqInputMessage message);

    /// <summary>
    /// Folds the events of several messages bound for one stream into the events of one delivery. A consumer gets the
    /// events of a delivery one call after another, so folding them into one event (a batch) lets it take them all at
    /// once. Default: the events as they are.
    /// </summary>
    IReadOnlyList<object> Combine(IReadOnlyList<object> events) => events;
}
