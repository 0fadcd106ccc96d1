using System.Globalization;
using Events.Api.Security;
using Events.Protos;
using Google.Protobuf.Reflection;

namespace Events.Api.Dispatch;

/// <summary>
/// Decides whether a dispatched batch may be stored. A refused batch stores nothing, so a client
/// can fix and resend it whole. Messages name the event index and never echo long input.
/// </summary>
public static class DispatchValidator
{
    public const string IncompleteEvent = "Incomplete event: the header and its deviceId are required";

    private static readonly LimitsOptions Defaults = new();
    private static readonly FieldDescriptor[] HeaderStrings =
        Header.Descriptor.Fields.InDeclarationOrder().Where(f => f.FieldType == FieldType.String).ToArray();

    /// <summary>The reason the batch is refused with the default limits, or null when it is valid.</summary>
    public static string? Validate(Events.Protos.Events batch) => Validate(batch, Defaults);

    /// <summary>The reason the batch is refused (INVALID_ARGUMENT), or null when it is valid.</summary>
    public static string? Validate(Events.Protos.Events batch, LimitsOptions limits)
    {
        if (batch.Header is null || string.IsNullOrEmpty(batch.Header.DeviceId))
        {
            return IncompleteEvent;
        }
        if (batch.Events_.Count > limits.MaxEventsPerBatch)
        {
            return $"The batch has {batch.Events_.Count} events, more than the limit of {limits.MaxEventsPerBatch}; split it";
        }
        if (batch.Header.DeviceId.Length > limits.MaxIdLength)
        {
            return $"header.deviceId is longer than {limits.MaxIdLength} characters";
        }
        foreach (var field in HeaderStrings)
        {
            if (((string)field.Accessor.GetValue(batch.Header)).Length > limits.MaxStringLength)
            {
                return $"header.{field.JsonName} is longer than {limits.MaxStringLength} characters";
            }
        }
        for (var i = 0; i < batch.Events_.Count; i++)
        {
            if (Validate(batch.Events_[i], limits) is { } problem)
            {
                return $"events[{i}]: {problem}";
            }
        }
        return null;
    }

    /// <summary>Epoch milliseconds as decimal digits, as the original clients send them.</summary>
    public static bool TryParseTimestamp(string value, out long milliseconds) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out milliseconds);

    private static string? Validate(Event evt, LimitsOptions limits)
    {
        if (string.IsNullOrEmpty(evt.Id))
        {
            return "id is required";
        }
        if (evt.Id.Length > limits.MaxIdLength)
        {
            return $"id is longer than {limits.MaxIdLength} characters";
        }
        if (!TryParseTimestamp(evt.Timestamp, out _))
        {
            return $"timestamp '{Shorten(evt.Timestamp)}' is not epoch milliseconds";
        }
        if (evt.CurrentURL.Length > limits.MaxStringLength)
        {
            return $"currentURL is longer than {limits.MaxStringLength} characters";
        }
        // Bounds every nested params string at once, and unknown fields a newer client sent.
        var size = evt.CalculateSize();
        return size > limits.MaxEventBytes ? $"the event is {size} bytes, more than the limit of {limits.MaxEventBytes}" : null;
    }

    private static string Shorten(string value) => value.Length <= 32 ? value : value[..32] + "...";
}
