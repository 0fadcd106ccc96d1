using System.Text.Json;

namespace Events.Cli.DeadLetters;

/// <summary>
/// The JSON a silo writes for events a table refused (Silo/DeadLetters/RabbitMqDeadLetterSink): the table, the
/// reason, and the client's group with just the refused events.
/// </summary>
internal sealed record DeadLetterMessage(string Table, string Reason, int Attempts, DeadLetterGroup Group)
{
    public const string ContentType = "application/vnd.events.dead-letter+json";

    /// <summary>A stream message whose serialized groups a sink could not read (headers say the table, count and why).</summary>
    public const string UnreadableContentType = "application/vnd.events.unreadable-groups";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

internal sealed record DeadLetterGroup(string Source, string EventName, JsonElement Header, List<DeadLetterEvent> Events);

internal sealed record DeadLetterEvent(string Id, string Name, long TimestampMs, string CurrentUrl, string ParamsJson);
