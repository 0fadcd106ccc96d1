using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.Json;
using Events.Grains.Tables;

namespace Events.Grains.Inputs;

/// <summary>
/// Turns a JSON message another service published (an object, or an array of objects) into the rows of one table:
/// one event per object, its JSON as the params. A message that does not fit is refused whole, with the reason.
/// </summary>
public static class JsonMessageMapper
{
    /// <param name="source">Where it came from (the exchange); the groups' source.</param>
    /// <param name="routingKey">The event name when the input names no field for it.</param>
    public static bool TryMap(ReadOnlyMemory<byte> body, JsonInputOptions input, string source, string routingKey, DateTime receivedAtUtc,
        [NotNullWhen(true)] out SinkBatch? batch, [NotNullWhen(false)] out string? refusal)
    {
        batch = null;
        if (body.IsEmpty)
        {
            refusal = "an empty message, not JSON";
            return false;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException)
        {
            refusal = $"not JSON: {ex.Message}";
            return false;
        }
        using (document)
        {
            if (!TryObjects(document.RootElement, out var objects, out refusal)) return false;
            var receivedMs = new DateTimeOffset(receivedAtUtc, TimeSpan.Zero).ToUnixTimeMilliseconds();
            var events = new List<IngestedEvent>(objects.Count);
            for (var i = 0; i < objects.Count; i++)
            {
                if (!TryEvent(objects[i], input, routingKey, receivedMs, out var evt, out refusal))
                {
                    refusal = document.RootElement.ValueKind == JsonValueKind.Array ? $"element {i}: {refusal}" : refusal;
                    return false;
                }
                events.Add(evt);
            }
            var groups = events.GroupBy(e => e.Name, StringComparer.Ordinal).Select(g => new EventGroup
            {
                Source = source,
                EventName = g.Key,
                Header = EventHeader.Empty,
                Events = g.ToList(),
                ReceivedAtUtc = receivedAtUtc,
            });
            batch = new SinkBatch { Table = input.StreamKey, Groups = groups.ToList() };
            return true;
        }
    }

    private static bool TryObjects(JsonElement root, out List<JsonElement> objects, [NotNullWhen(false)] out string? refusal)
    {
        objects = [];
        refusal = null;
        if (root.ValueKind == JsonValueKind.Object)
        {
            objects.Add(root);
            return true;
        }
        if (root.ValueKind != JsonValueKind.Array)
        {
            refusal = $"a JSON {Kind(root)}, not an object or an array of objects";
            return false;
        }
        var index = 0;
        foreach (var element in root.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                refusal = $"element {index} is a JSON {Kind(element)}, not an object";
                return false;
            }
            objects.Add(element);
            index++;
        }
        refusal = objects.Count == 0 ? "an empty JSON array: no events" : null;
        return objects.Count > 0;
    }

    private static bool TryEvent(JsonElement json, JsonInputOptions input, string routingKey, long receivedMs,
        [NotNullWhen(true)] out IngestedEvent? evt, [NotNullWhen(false)] out string? refusal)
    {
        evt = null;
        foreach (var field in input.RequiredFields.Append(input.IdField).Where(f => f.Length > 0))
        {
            if (ParamColumns.Find(json, field) is null)
            {
                refusal = $"missing required field '{field}'";
                return false;
            }
        }
        string id;
        if (input.IdField.Length == 0) id = ContentHash(json);
        else if (!TryText(ParamColumns.Find(json, input.IdField)!.Value, out id))
        {
            refusal = $"field '{input.IdField}' is not an id (a non-empty string or a number)";
            return false;
        }
        var timestampMs = receivedMs;
        if (input.TimestampField.Length > 0 && ParamColumns.Find(json, input.TimestampField) is { } time)
        {
            if (!JsonTimestamp.TryReadEpochMs(time, out var ms))
            {
                refusal = $"field '{input.TimestampField}' ({Clip(time.GetRawText())}) is not epoch seconds, milliseconds or ISO-8601";
                return false;
            }
            // A clock ahead of ours must not put rows in the future (and in partitions months away).
            timestampMs = Math.Min(ms ?? receivedMs, receivedMs);
        }
        var name = input.EventNameField.Length > 0 && ParamColumns.Find(json, input.EventNameField) is { ValueKind: JsonValueKind.String } named
            && named.GetString() is { Length: > 0 } fieldName
            ? fieldName
            : routingKey.Length > 0 ? routingKey : input.StreamKey;
        evt = new IngestedEvent { Id = id, Name = name, TimestampMs = timestampMs, ParamsJson = json.GetRawText() };
        refusal = null;
        return true;
    }

    private static bool TryText(JsonElement value, out string text)
    {
        text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            _ => "",
        };
        return text.Length > 0;
    }

    // The same event, however a publisher spaced or escaped it, hashes the same: it is written out minified first.
    private static string ContentHash(JsonElement json)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) json.WriteTo(writer);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan))[..32];
    }

    private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();

    private static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
