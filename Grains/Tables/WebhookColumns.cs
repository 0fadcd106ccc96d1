using System.Globalization;
using System.Text.Json;

namespace Events.Grains.Tables;

/// <summary>
/// Columns shared by the webhook tables, and typed columns that read the provider's payload (the event's params)
/// from the first of several paths: providers name the same field differently across payload versions.
/// Like <see cref="ParamColumns"/>, a missing or mistyped value gets the type's default; the raw JSON keeps the original.
/// </summary>
public static class WebhookColumns
{
    public const string Utc = "DateTime64(3, 'UTC')";

    /// <summary>Id, name and times first: the dedup key and what every analyst query filters on.</summary>
    public static IReadOnlyList<ColumnSpec> Leading { get; } =
    [
        new("event_id", "String", r => r.Event.Id),
        new("event_name", "LowCardinality(String)", r => r.Event.Name),
        new("event_timestamp", Utc, r => DateTime.UnixEpoch.AddMilliseconds(r.Event.TimestampMs)),
        new("insert_timestamp", Utc, r => r.Group.ReceivedAtUtc),
    ];

    /// <summary>The provider's event exactly as it arrived (secrets the provider put in the body are not part of it).</summary>
    public static ColumnSpec Raw { get; } = new("raw", "String", r => r.Event.ParamsJson);

    public static ColumnSpec Bool(string column, params string[] paths) =>
        new(column, "Bool", r => First(r, paths) is { } v && (v.ValueKind == JsonValueKind.True
            || (v.ValueKind == JsonValueKind.String && bool.TryParse(v.GetString(), out var b) && b)));

    public static ColumnSpec Int64(string column, params string[] paths) =>
        new(column, "Int64", r => First(r, paths) is { } v && TryInt64(v, out var n) ? n : 0L);

    public static ColumnSpec String(string column, params string[] paths) =>
        new(column, "String", r => First(r, paths) is { } v ? Text(v) : "");

    public static ColumnSpec LowCardinality(string column, params string[] paths) =>
        new(column, "LowCardinality(String)", r => First(r, paths) is { } v ? Text(v) : "");

    /// <summary>Money: a string or a number, exact to four places. Out of range reads as 0.</summary>
    public static ColumnSpec Decimal(string column, params string[] paths) =>
        new(column, "Decimal(18, 4)", r => First(r, paths) is { } v && TryDecimal(v, out var d) ? Math.Round(d, 4) : 0m);

    /// <summary>An epoch-milliseconds field as a time; 1970-01-01 when absent.</summary>
    public static ColumnSpec EpochMilliseconds(string column, params string[] paths) =>
        new(column, Utc, r => DateTime.UnixEpoch.AddMilliseconds(
            First(r, paths) is { } v && TryInt64(v, out var ms) && ms is > 0 and < 253_402_300_799_999 ? ms : 0));

    private static JsonElement? First(RowContext row, string[] paths)
    {
        foreach (var path in paths)
        {
            if (ParamColumns.Find(row.Params, path) is { } value) return value;
        }
        return null;
    }

    private static string Text(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static bool TryInt64(JsonElement value, out long number)
    {
        number = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out number),
            JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
    }

    private static bool TryDecimal(JsonElement value, out decimal number)
    {
        number = 0;
        var ok = value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDecimal(out number),
            JsonValueKind.String => decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out number),
            _ => false,
        };
        // Decimal(18, 4) holds 14 integer digits.
        return ok && Math.Abs(number) < 100_000_000_000_000m;
    }
}
