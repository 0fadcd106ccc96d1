using System.Security.Cryptography;
using System.Text.Json;

namespace Events.Api.Webhooks;

/// <summary>
/// Ids for events whose provider gives none: a hash of the event's canonical JSON (object members sorted by name,
/// no insignificant whitespace, strings re-escaped one way). A provider's retry of the same webhook gets the same id
/// even if it re-serialised the body, so the copy collapses on the table's dedup key.
/// </summary>
internal static class EventIds
{
    public const string Prefix = "hash:";

    /// <summary><c>hash:</c> and 32 hex digits (128 bits of SHA-256).</summary>
    public static string FromContent(JsonElement element)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, element);
        }
        var hash = SHA256.HashData(buffer.WrittenSpan);
        return Prefix + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }
                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                // Numbers, true, false and null as written: re-formatting a number could change its value.
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
        }
    }
}
