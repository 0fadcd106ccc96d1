using System.Text.Json;
using Events.Grains.Publishing;
using Events.Grains.Sinks;
using Events.Streaming.RabbitMQ;

namespace Events.Silo.DeadLetters;

/// <summary>
/// Puts refused events into the stream provider's dead-letter queue as JSON, with headers saying why.
/// <c>events-cli dlq list</c> shows them, and <c>dlq replay</c> moves them to the replay queue, which the silos read
/// back into the table that refused them (<see cref="BrokerInputs.DeadLetterReplayDecoder"/>).
/// </summary>
internal sealed class RabbitMqDeadLetterSink([FromKeyedServices(SinkStreams.ProviderName)] RabbitMqDeadLetterPublisher publisher)
    : IDeadLetterSink
{
    public const string ContentType = "application/vnd.events.dead-letter+json";

    /// <summary>A sink's unreadable message: its groups as the Orleans serializer wrote them (an <c>EventGroup[]</c>).</summary>
    public const string UnreadableContentType = "application/vnd.events.unreadable-groups";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task PublishAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(letter, Json);
        var headers = new Dictionary<string, object?>
        {
            ["x-events-reason"] = letter.Reason,
            ["x-events-table"] = letter.Table,
            ["x-events-source"] = letter.Group.Source,
            ["x-events-event-name"] = letter.Group.EventName,
            ["x-events-count"] = letter.Group.Events.Count,
            ["x-events-attempts"] = letter.Attempts,
        };
        return publisher.PublishAsync(body, ContentType, headers, cancellationToken);
    }

    public Task PublishUnreadableAsync(UnreadableMessage message, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, object?>
        {
            ["x-events-reason"] = message.Reason,
            ["x-events-table"] = message.Table,
            ["x-events-count"] = message.Events,
            ["x-events-format"] = (int)message.Format,
        };
        return publisher.PublishAsync(message.EncodedGroups, UnreadableContentType, headers, cancellationToken);
    }
}
