using System.Globalization;
using Events.Protos;

namespace Events.Api.Dispatch;

/// <summary>
/// Decides whether a dispatched batch may be stored. A refused batch stores nothing, so a client
/// can fix and resend it whole. Messages name the event index and never echo long input.
/// </summary>
public static class DispatchValidator
{
    public const string IncompleteEvent = "Incomplete event: the header and its deviceId are required";

    /// <summary>The reason the batch is refused, or null when it is valid.</summary>
    public static string? Validate(Events.Protos.Events batch)
    {
        if (batch.Header is null || string.IsNullOrEmpty(batch.Header.DeviceId))
        {
            return IncompleteEvent;
        }
        for (var i = 0; i < batch.Events_.Count; i++)
        {
            var evt = batch.Events_[i];
            if (string.IsNullOrEmpty(evt.Id))
            {
                return $"events[{i}]: id is required";
            }
            if (!TryParseTimestamp(evt.Timestamp, out _))
            {
                return $"events[{i}]: timestamp '{Shorten(evt.Timestamp)}' is not epoch milliseconds";
            }
        }
        return null;
    }

    /// <summary>Epoch milliseconds as decimal digits, as the original clients send them.</summary>
    public static bool TryParseTimestamp(string value, out long milliseconds) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out milliseconds);

    private static string Shorten(string value) => value.Length <= 32 ? value : value[..32] + "...";
}
