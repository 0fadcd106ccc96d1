using System.Globalization;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace Events.Cli.DeadLetters;

/// <summary><c>dlq list</c> and <c>dlq replay</c> (<c>dlq export</c>: <see cref="DeadLetterExport"/>).</summary>
internal static class DeadLetterCommands
{
    /// <summary>Shows up to <paramref name="limit"/> dead letters with their reasons; leaves them in the queue.</summary>
    public static async Task<int> ListAsync(DeadLetterQueue queue, TextWriter output, int limit)
    {
        var shown = 0;
        while (shown < limit && await queue.NextAsync() is { } message)
        {
            shown++;
            output.WriteLine($"#{shown} {Describe(message)}");
        }
        output.WriteLine(shown == 0 ? $"{queue.Name} is empty" : $"{shown} shown from {queue.Name} (left in the queue)");
        return shown;
    }

    /// <summary>
    /// Sends up to <paramref name="limit"/> dead letters back into the pipeline, of those waiting when it starts: refused
    /// events go to the replay queue, which the silos read into the table that refused them (events from any door, with
    /// their source and header as they came; duplicates are removed by event id); messages the broker dead-lettered go
    /// back to the queue they came from. Each leaves the dead-letter queue only once the broker confirmed its copy. A
    /// letter the silos still cannot store comes back here with the reason, behind the ones this replay looks at.
    /// A letter that cannot go back (groups no silo could read, an unknown message) is left in the queue and the replay
    /// goes on; a broker that does not confirm stops it and leaves the rest where they are.
    /// </summary>
    public static async Task<(int Replayed, int NotReplayed)> ReplayAsync(DeadLetterQueue queue, TextWriter output, int limit)
    {
        var replayed = 0;
        var left = 0;
        // Only the letters there now: one the silos refuse again comes back behind them, and is not taken round again.
        limit = (int)Math.Min(limit, queue.ReadyAtOpen);
        while (replayed + left < limit && await queue.NextAsync() is { } message)
        {
            try
            {
                if (message.BasicProperties.ContentType == DeadLetterMessage.ContentType)
                {
                    await queue.ReturnToAsync(queue.ReplayQueue, message);
                }
                else if (IsUnreadable(message))
                {
                    throw new NotSupportedException("no silo could read these serialized groups, so they cannot be stored again");
                }
                else if (OriginalQueue(message) is { } origin)
                {
                    await queue.ReturnToAsync(origin, message);
                }
                else
                {
                    throw new NotSupportedException("neither a refused-events letter nor a broker dead letter");
                }
                await queue.AckAsync(message);
                replayed++;
                output.WriteLine($"replayed {Describe(message)}");
            }
            catch (NotSupportedException ex)
            {
                // Not settled: it goes back to the queue when the replay closes its channel.
                left++;
                output.WriteLine($"left in the queue: {Describe(message)}: {ex.Message}");
            }
            catch (Exception ex)
            {
                output.WriteLine($"stopped: could not replay {Describe(message)}: {ex.Message}");
                return (replayed, left + 1);
            }
        }
        output.WriteLine($"replayed {replayed} dead letters from {queue.Name}" + (left > 0 ? $"; left {left} that cannot be replayed" : "")
            + (replayed > 0 ? $". Refused events went to {queue.ReplayQueue}: one the silos cannot store comes back here with the reason" : ""));
        return (replayed, left);
    }

    /// <summary>One line saying what a letter holds and why it is here.</summary>
    internal static string Describe(BasicGetResult message)
    {
        if (ParseEvents(message) is { } letter)
        {
            var ids = string.Join(", ", letter.Group.Events.Take(5).Select(e => e.Id)) + (letter.Group.Events.Count > 5 ? ", …" : "");
            // The header holds the latest reason: the replay queue's, when the silos could not take the letter back.
            var why = Header(message, "x-events-reason") ?? letter.Reason;
            return $"{letter.Group.Events.Count} {letter.Group.EventName} from {letter.Group.Source} refused by table {letter.Table} "
                + $"after {letter.Attempts} attempts: {why} [{ids}]";
        }
        if (IsUnreadable(message))
        {
            return $"{Header(message, "x-events-count")} events for table {Header(message, "x-events-table")} that its sink could not read "
                + $"({message.Body.Length} bytes of serialized groups): {Header(message, "x-events-reason")}";
        }
        if (Header(message, "x-events-reason") is { } reason && OriginalQueue(message) is { } input)
        {
            return $"a {message.Body.Length}-byte message input queue {input} could not read: {reason}";
        }
        if (OriginalQueue(message) is { } origin)
        {
            return $"a {message.Body.Length}-byte message the broker dead-lettered from {origin} ({DeathReason(message)})";
        }
        return $"an unrecognised {message.Body.Length}-byte message ({message.BasicProperties.ContentType ?? "no content type"})";
    }

    private static DeadLetterMessage? ParseEvents(BasicGetResult message)
    {
        if (message.BasicProperties.ContentType != DeadLetterMessage.ContentType) return null;
        try
        {
            return JsonSerializer.Deserialize<DeadLetterMessage>(message.Body.Span, DeadLetterMessage.Json);
        }
        catch (JsonException)
        {
            return null; // described by its headers; the silos say what is wrong with it if it is replayed
        }
    }

    private static bool IsUnreadable(BasicGetResult message) =>
        message.BasicProperties.ContentType == DeadLetterMessage.UnreadableContentType;

    // RabbitMQ records each dead-lettering in the x-death header, newest first.
    private static IDictionary<string, object?>? LastDeath(BasicGetResult message) =>
        message.BasicProperties.Headers?.TryGetValue("x-death", out var deaths) == true && deaths is IList<object> list
            ? list.FirstOrDefault() as IDictionary<string, object?>
            : null;

    // Broker dead letters name their queue in x-death; input messages the silo could not read, in x-events-queue.
    private static string? OriginalQueue(BasicGetResult message) => DeathField(message, "queue") ?? Header(message, "x-events-queue");

    private static string? Header(BasicGetResult message, string name) =>
        message.BasicProperties.Headers?.TryGetValue(name, out var value) == true ? Text(value) : null;

    private static string DeathReason(BasicGetResult message) => DeathField(message, "reason") ?? "unknown reason";

    private static string? DeathField(BasicGetResult message, string name) =>
        LastDeath(message) is { } death && death.TryGetValue(name, out var value) ? Text(value) : null;

    private static string? Text(object? value) => value switch
    {
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        string text => text,
        int number => number.ToString(CultureInfo.InvariantCulture),
        long number => number.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };
}
