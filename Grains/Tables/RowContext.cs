using System.Text.Json;

namespace Events.Grains.Tables;

/// <summary>Everything a column may read its value from.</summary>
public readonly record struct RowContext(EventGroup Group, IngestedEvent Event)
{
    public EventHeader Header => Group.Header;

    /// <summary>The event's params, parsed; set by <see cref="TableSchema.MapRow"/> for tables that read them.</summary>
    public JsonElement Params { get; init; }

    /// <summary>Set only for <c>error_event</c> rows: why the row's own table refused it.</summary>
    public Rejection? Rejection { get; init; }

    /// <summary>The params as an object; anything unparsable reads as an empty object (its columns get defaults).</summary>
    public static JsonElement ParseParams(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : Empty;
        }
        catch (JsonException)
        {
            return Empty;
        }
    }

    private static readonly JsonElement Empty = JsonDocument.Parse("{}").RootElement.Clone();
}

/// <summary>A row its table refused for good: which table, why, after how many attempts, and when.</summary>
public sealed record Rejection(string Table, string Reason, int Attempts, DateTime AtUtc);
