namespace Events.Grains.Inputs;

/// <summary>
/// How the JSON decoder reads one broker input: the application's keys of an <c>Events:RabbitMq:Inputs</c> entry
/// (the stream provider reads the same entry for the queue, exchange and routing keys).
/// </summary>
public sealed class JsonInputOptions
{
    /// <summary>The input's queue: names the entry.</summary>
    public string Queue { get; set; } = "";

    /// <summary>The table the rows go to (the provider's stream key).</summary>
    public string StreamKey { get; set; } = "";

    public string StreamNamespace { get; set; } = "";
    public string Decoder { get; set; } = "";

    /// <summary>
    /// The field (dotted path) holding the event's id; a message without it is refused. Empty (default): the id is a
    /// hash of the event's JSON, so a redelivered or republished message gets the same id and is stored once.
    /// </summary>
    public string IdField { get; set; } = "";

    /// <summary>
    /// The field holding the event's time: epoch seconds, milliseconds (or micro-, nanoseconds) or ISO-8601.
    /// Empty (default), or absent from a message: the time the message was read. A value that is none of these is refused.
    /// </summary>
    public string TimestampField { get; set; } = "";

    /// <summary>The field holding the event's name. Empty (default), or absent from a message: the routing key.</summary>
    public string EventNameField { get; set; } = "";

    /// <summary>Fields every event must have (non-null); a message missing one is refused. Default none.</summary>
    public List<string> RequiredFields { get; set; } = [];
}
