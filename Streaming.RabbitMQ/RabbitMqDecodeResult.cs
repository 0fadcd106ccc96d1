namespace Events.Streaming.RabbitMQ;

/// <summary>What a decoder made of a message: the events for its stream, or why it refuses the message.</summary>
public sealed class RabbitMqDecodeResult
{
    private RabbitMqDecodeResult(IReadOnlyList<object> events, string? refusal)
    {
        Events = events;
        Refusal = refusal;
    }

    public IReadOnlyList<object> Events { get; }

    /// <summary>Why the message cannot be read (it goes to the dead-letter queue with this reason); null when accepted.</summary>
    public string? Refusal { get; }

    public static RabbitMqDecodeResult Accept(IReadOnlyList<object> events) => new(events, null);

    public static RabbitMqDecodeResult Refuse(string reason) =>
        new([], string.IsNullOrWhiteSpace(reason) ? "refused by its decoder" : reason);
}
