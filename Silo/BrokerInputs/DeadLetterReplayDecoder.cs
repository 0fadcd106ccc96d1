using System.Text.Json;
using Events.Grains;
using Events.Grains.Sinks;
using Events.Grains.Tables;
using Events.Silo.DeadLetters;
using Events.Streaming.RabbitMQ;

namespace Events.Silo.BrokerInputs;

/// <summary>
/// Reads the replay queue (<see cref="ReplayInput"/>): events a table refused, as the dead-letter sink wrote them,
/// which <c>dlq replay</c> put back after a fix. Each letter goes to the sink of the table that refused it, with its
/// group as it first came (source, header, events): events from any door come back, and no other table gets them twice.
/// A letter this silo cannot store goes back to the dead-letter queue with the reason.
/// </summary>
internal sealed class DeadLetterReplayDecoder(TableCatalog catalog, TimeProvider time) : IRabbitMqMessageDecoder
{
    public const string Name = "dead-letter";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public RabbitMqDecodeResult Decode(RabbitMqInputMessage message)
    {
        if (message.Properties.ContentType != RabbitMqDeadLetterSink.ContentType)
        {
            return RabbitMqDecodeResult.Refuse(
                $"not a letter of refused events (content type '{message.Properties.ContentType}', not '{RabbitMqDeadLetterSink.ContentType}')");
        }
        DeadLetter? letter;
        try
        {
            letter = JsonSerializer.Deserialize<DeadLetter>(message.Body.Span, Json);
        }
        catch (JsonException ex)
        {
            return RabbitMqDecodeResult.Refuse($"the letter cannot be read: {ex.Message}");
        }
        if (Problem(letter) is { } problem)
        {
            return RabbitMqDecodeResult.Refuse(problem);
        }
        // A letter written by hand may lack the time its events came in, which rows keep as their insert time.
        var group = letter!.Group.ReceivedAtUtc == default ? letter.Group with { ReceivedAtUtc = time.GetUtcNow().UtcDateTime } : letter.Group;
        return RabbitMqDecodeResult.Accept([new SinkBatch { Table = letter.Table, Groups = [group] }], streamKey: letter.Table);
    }

    public IReadOnlyList<object> Combine(IReadOnlyList<object> events) => SinkBatchFold.Fold(events);

    private string? Problem(DeadLetter? letter)
    {
        if (letter is null) return "the letter is empty";
        if (!catalog.Contains(letter.Table)) return $"there is no table '{letter.Table}'";
        if (letter.Group.Events.Count == 0) return "the letter holds no events";
        // Sinks remove duplicates by event id, so an event without one could be stored twice.
        var position = letter.Group.Events.ToList().FindIndex(e => string.IsNullOrEmpty(e.Id));
        return position < 0 ? null : $"event {position} of the letter has no id";
    }
}
