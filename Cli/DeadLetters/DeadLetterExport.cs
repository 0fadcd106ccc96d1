using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RabbitMQ.Client;

namespace Events.Cli.DeadLetters;

/// <summary>
/// <c>dlq export</c>: moves letters out of the dead-letter queue into a file, for the ones no replay will store (a
/// value the table will always refuse, groups no silo can read). Each letter becomes one JSON line with its
/// description, content type, headers and body (base64, as it came), and leaves the queue only once its line is on disk.
/// </summary>
internal static class DeadLetterExport
{
    /// <summary>
    /// Appends up to <paramref name="limit"/> of the letters waiting when it starts to <paramref name="path"/>, in queue
    /// order (as <c>dlq list</c> numbers them), and removes each from the queue after its line is flushed to disk. A
    /// file that cannot be written stops it before the letter in hand is removed.
    /// </summary>
    public static async Task<int> ExportAsync(DeadLetterQueue queue, string path, TextWriter output, int limit)
    {
        limit = (int)Math.Min(limit, queue.ReadyAtOpen);
        var exported = 0;
        await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        while (exported < limit && await queue.NextAsync() is { } message)
        {
            var line = Line(message);
            await file.WriteAsync(line);
            file.Flush(flushToDisk: true);
            await queue.AckAsync(message);
            exported++;
            output.WriteLine($"exported {DeadLetterCommands.Describe(message)}");
        }
        output.WriteLine(exported == 0
            ? $"{queue.Name} is empty: nothing exported"
            : $"exported {exported} dead letters from {queue.Name} to {path} (removed from the queue)");
        return exported;
    }

    private static byte[] Line(BasicGetResult message)
    {
        var letter = new JsonObject
        {
            ["exported_at"] = DateTime.UtcNow.ToString("O"),
            ["description"] = DeadLetterCommands.Describe(message),
            ["content_type"] = message.BasicProperties.ContentType,
            ["headers"] = HeaderValue(message.BasicProperties.Headers),
            ["body_base64"] = Convert.ToBase64String(message.Body.Span),
        };
        return Encoding.UTF8.GetBytes(letter.ToJsonString() + "\n");
    }

    // The client hands header strings over as UTF-8 bytes, and x-death as lists of tables.
    private static JsonNode? HeaderValue(object? value) => value switch
    {
        null => null,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        AmqpTimestamp time => time.UnixTime,
        IEnumerable<KeyValuePair<string, object?>> table => new JsonObject(table.Select(h => KeyValuePair.Create(h.Key, HeaderValue(h.Value)))),
        IEnumerable<object?> list => new JsonArray([.. list.Select(HeaderValue)]),
        _ => JsonValue.Create(JsonSerializer.SerializeToElement(value)),
    };
}
