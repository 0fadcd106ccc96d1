using System.Globalization;
using System.Text;
using Events.Api.Security;
using Events.Grains;
using Google.Protobuf;
using Events.Protos;
using Microsoft.Extensions.Options;

namespace Events.Api.Dispatch;

/// <summary>
/// Turns a validated wire batch into one <see cref="EventGroup"/> per event type. The type name,
/// and the params JSON come from the protobuf descriptors, so a new event type needs no code here.
/// An event stored with a correction or a flag carries the reason (<see cref="EventFlags"/>) for its error_event row.
/// </summary>
public sealed class EventGrouper(TimeProvider time, IOptions<LimitsOptions> limits)
{
    /// <summary>The name stored for an event whose type this build does not know (a newer client).</summary>
    public const string UnknownEventName = "UnknownEvent";

    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default);

    // A writer per thread, emptied after each event. JsonFormatter.Format(message) makes a StringWriter per call and
    // grows its buffer chunk by chunk: 14% of the bytes the process allocated at 30,000 events/s (BENCHMARKS.md).
    [ThreadStatic] private static StringWriter? t_json;

    public GroupedBatch Group(Events.Protos.Events batch, string source)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var header = ToHeader(batch.Header);
        var (oldEventAge, clockSkew) = (limits.Value.OldEventAge, limits.Value.ClockSkew);
        var flags = new BatchFlags();
        var ingested = new List<IngestedEvent>(batch.Events_.Count);
        foreach (var evt in batch.Events_)
        {
            DispatchValidator.TryParseTimestamp(evt.Timestamp, out var sentMs);
            var timing = EventFlags.TimingOf(sentMs, nowMs, oldEventAge, clockSkew);
            flags = flags.With(timing, sentMs, untyped: evt.EventOfCase == Event.EventOfOneofCase.None);
            ingested.Add(ToIngested(evt, sentMs, EventFlags.Reason(evt, sentMs, timing, nowMs, oldEventAge), nowMs));
        }
        // One group per type, in order of first appearance (a dictionary only added to enumerates in insertion order).
        var byName = new Dictionary<string, List<IngestedEvent>>(StringComparer.Ordinal);
        foreach (var evt in ingested)
        {
            if (!byName.TryGetValue(evt.Name, out var events)) byName.Add(evt.Name, events = []);
            events.Add(evt);
        }
        var groups = byName.Select(pair => new EventGroup
            {
                Source = source,
                EventName = pair.Key,
                Header = header,
                Events = pair.Value,
                ReceivedAtUtc = now.UtcDateTime,
            })
            .ToArray();
        return new GroupedBatch(groups, flags);
    }

    private static IngestedEvent ToIngested(Event evt, long timestamp, string? flag, long nowMs)
    {
        var payload = EventTypes.PayloadOf(evt);
        return new IngestedEvent
        {
            Id = evt.Id,
            Name = EventTypes.NameOf(evt),
            // A clock running ahead on a device must not put events in the future; only beyond ClockSkew is it flagged.
            TimestampMs = Math.Min(timestamp, nowMs),
            CurrentUrl = evt.CurrentURL,
            ParamsJson = payload is null ? UnknownParams(evt) : FormatJson(payload),
            Flag = flag,
        };
    }

    private static string FormatJson(IMessage payload)
    {
        var writer = t_json ??= new StringWriter(new StringBuilder(1024), CultureInfo.InvariantCulture);
        var buffer = writer.GetStringBuilder();
        try
        {
            Json.Format(payload, writer);
            return buffer.ToString();
        }
        finally
        {
            // An unusually large event does not keep its buffer for the thread's lifetime.
            if (buffer.Capacity > 64 * 1024) t_json = null;
            else buffer.Clear();
        }
    }

    /// <summary>
    /// An event of a type this build does not know (a newer client's oneof number arrives as unknown fields) is kept
    /// whole, so it can be replayed once the type is known: <c>{"rawEvent":"&lt;base64 protobuf&gt;"}</c>.
    /// </summary>
    private static string UnknownParams(Event evt) => EventFlags.HasUnknownFields(evt)
        ? $"{{\"rawEvent\":\"{Convert.ToBase64String(evt.ToByteArray())}\"}}"
        : "{}";

    private static EventHeader ToHeader(Header h) => new()
    {
        SessionId = h.SessionId,
        BbDeviceId = h.BbDeviceId,
        UserId = h.UserId,
        DeviceId = h.DeviceId,
        AndroidAdvertisingId = h.AndroidAdvertisingId,
        ClientId = h.ClientId,
        Channel = h.Channel,
        Os = h.Os,
        ClientType = h.ClientType,
        AppLanguage = h.AppLanguage,
        AppVersion = h.AppVersion,
        AppVersionCode = h.AppVersionCode,
        CurrentUrl = h.CurrentURL,
        MerchantId = h.MerchantId,
        UtmReferrer = h.UtmReferrer,
        UtmPlatform = h.UtmPlatform,
        UtmSource = h.UtmSource,
        UtmMedium = h.UtmMedium,
        UtmCampaign = h.UtmCampaign,
        PpId = h.PpId,
    };
}

/// <summary>A wire batch as one group per event type, with the counts of its flagged events (metrics, log line).</summary>
public sealed record GroupedBatch(IReadOnlyList<EventGroup> Groups, BatchFlags Flags);
