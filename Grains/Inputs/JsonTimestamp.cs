using System.Globalization;
using System.Text.Json;

namespace Events.Grains.Inputs;

/// <summary>Reads an event time other services wrote: epoch seconds, milliseconds, micro- or nanoseconds (by size), or ISO-8601.</summary>
public static class JsonTimestamp
{
    /// <summary>
    /// False when <paramref name="value"/> is not a time. True with <paramref name="epochMs"/> null for 0 or an empty
    /// string, which publishers send for "unknown".
    /// </summary>
    public static bool TryReadEpochMs(JsonElement value, out long? epochMs)
    {
        epochMs = null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                return value.TryGetDouble(out var number) && FromNumber(number, out epochMs);
            case JsonValueKind.String:
                var text = value.GetString()!.Trim();
                if (text.Length == 0) return true;
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number)) return FromNumber(number, out epochMs);
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return false;
                epochMs = time.ToUnixTimeMilliseconds();
                return epochMs >= 0;
            default:
                return false;
        }
    }

    // Today is about 1.7e9 s, 1.7e12 ms, 1.7e15 µs, 1.7e18 ns: the size tells the unit for any date from 1973 to 5138.
    private static bool FromNumber(double number, out long? epochMs)
    {
        epochMs = null;
        if (double.IsNaN(number) || number < 0) return false;
        if (number == 0) return true;
        epochMs = number switch
        {
            < 1e11 => (long)Math.Round(number * 1000),
            < 1e14 => (long)number,
            < 1e17 => (long)(number / 1e3),
            < 1e20 => (long)(number / 1e6),
            _ => null,
        };
        return epochMs is not null;
    }
}
