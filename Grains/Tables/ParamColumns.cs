using System.Text.Json;

namespace Events.Grains.Tables;

/// <summary>
/// Columns read from the event's params by a dotted path (<c>"user.id"</c>), typed where the table wants a type.
/// A missing or mistyped value gets the column type's default rather than failing the row: clients evolve, and
/// the whole params object is kept as JSON anyway. Tables using these must set <see cref="TableSchema.ReadsParams"/>.
/// </summary>
public static class ParamColumns
{
    public static ColumnSpec String(string column, string path) =>
        new(column, "String", r => Find(r.Params, path) is { } v ? Text(v) : "");

    public static ColumnSpec LowCardinality(string column, string path) =>
        new(column, "LowCardinality(String)", r => Find(r.Params, path) is { } v ? Text(v) : "");

    public static ColumnSpec Int64(string column, string path) =>
        new(column, "Int64", r => Find(r.Params, path) is { } v && TryInt64(v, out var n) ? n : 0L);

    public static ColumnSpec Float64(string column, string path) =>
        new(column, "Float64", r => Find(r.Params, path) is { } v && TryDouble(v, out var d) ? d : 0d);

    public static ColumnSpec Bool(string column, string path) =>
        new(column, "Bool", r => Find(r.Params, path) is { ValueKind: JsonValueKind.True });

    /// <summary>A nested object or array, kept as JSON text.</summary>
    public static ColumnSpec Json(string column, string path) =>
        new(column, "String", r => Find(r.Params, path) is { } v ? v.GetRawText() : "");

    public static JsonElement? Find(JsonElement root, string path)
    {
        var current = root;
        foreach (var name in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current)) return null;
        }
        return current.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : current;
    }

    private static string Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    // Protobuf's JSON writes int64 as strings, so both forms count as numbers.
    private static bool TryInt64(JsonElement value, out long number)
    {
        number = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out number),
            JsonValueKind.String => long.TryParse(value.GetString(), out number),
            _ => false,
        };
    }

    private static bool TryDouble(JsonElement value, out double number)
    {
        number = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDouble(out number),
            JsonValueKind.String => double.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, out number),
            _ => false,
        };
    }
}
