using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Events.Api.Webhooks;

/// <summary>Reads a provider's event time as epoch milliseconds, in the format the provider declares.</summary>
internal static partial class WebhookTimestamps
{
    // Years 2000 to 9999: anything else is a unit mix-up (seconds read as ms) or garbage.
    private const long Earliest = 946_684_800_000;
    private const long Latest = 253_402_300_799_999;

    public static bool TryRead(JsonElement value, TimestampFormat format, out long milliseconds)
    {
        milliseconds = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number when format != TimestampFormat.Iso8601 => TryEpoch(value.GetRawText(), format, out milliseconds),
            JsonValueKind.String => TryRead(value.GetString()!, format, out milliseconds),
            _ => false,
        };
    }

    public static bool TryRead(string text, TimestampFormat format, out long milliseconds)
    {
        milliseconds = 0;
        var ok = format == TimestampFormat.Iso8601 ? TryIso8601(text, out milliseconds) : TryEpoch(text, format, out milliseconds);
        return ok && milliseconds is >= Earliest and <= Latest;
    }

    private static bool TryEpoch(string text, TimestampFormat format, out long milliseconds)
    {
        milliseconds = 0;
        if (!decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var number)
            || number > Latest)
        {
            return false;
        }
        milliseconds = (long)(format == TimestampFormat.EpochSeconds ? number * 1000 : number);
        return milliseconds is >= Earliest and <= Latest;
    }

    // .NET reads at most 7 fractional digits and wants a colon in the offset; providers send 9 digits (Shopify)
    // and +hhmm (WebEngage), so both are normalised first.
    private static bool TryIso8601(string text, out long milliseconds)
    {
        milliseconds = 0;
        var match = Iso8601().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }
        var fraction = match.Groups["fraction"].Value;
        var zone = match.Groups["zone"].Value;
        var normalised = match.Groups["main"].Value
            + (fraction.Length > 8 ? fraction[..8] : fraction)
            + (zone.Length == 5 ? zone[..3] + ":" + zone[3..] : zone);
        if (!DateTimeOffset.TryParse(normalised, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return false;
        }
        milliseconds = time.ToUnixTimeMilliseconds();
        return true;
    }

    [GeneratedRegex(@"^(?<main>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?)(?<fraction>\.\d+)?(?<zone>Z|z|[+-]\d{2}:\d{2}|[+-]\d{4})?$")]
    private static partial Regex Iso8601();
}
