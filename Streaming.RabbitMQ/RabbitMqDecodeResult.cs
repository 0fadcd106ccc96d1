namespace Events.Streaming.RabbitMQ;

/// <summary>What a decoder made of a message: the events for its stream, or why it refuses the message.</summary>
public sealed class RabbitMqDecodeResult
{
    private RabbitMqDecodeResult(IReadOnlyList<object> events, string? streamKey, string? refusal)
    {
        Events = events;
        StreamKey = streamKey;
        Refusal = refusal;
    }

    public IReadOnlyList<object> Events { get; }

    /// <summary>
    /// The key of the input's streams these events go to, when the message names it (one queue feeding several keys);
    /// null: the input's <see cref="RabbitMqInputOptions.StreamKey"/>.
    /// </summary>
    public string? StreamKey { get; }

    /// <summary>Why the message cannot be read (it goes to the dead-letter queue with this reason); null when accepted.</summary>
    public string? Refusal { get; }

    public static RabbitMqDecodeResult Accept(IReadOnlyList<object> events, string? streamKey = null) => new(events, streamKey, null);

    public static RabbitMqDecodeResult Refuse(string reason) =>
        new([], null, string.IsNullOrWhiteSpace(reason) ? "refused by its decoder" : reason);
}
