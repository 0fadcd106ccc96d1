using System.Globalization;
using Events.Api.Dispatch;
using Events.Protos;

namespace Events.Api.Security;

/// <summary>
/// Why a valid event is stored with a correction or a flag: the reason its <c>error_event</c> row carries. Only
/// cases stored anyway; everything else is refused by <see cref="DispatchValidator"/>.
/// </summary>
public static class EventFlags
{
    private static readonly long MaxDateMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>The reason, or null when the event is stored as sent. <paramref name="evt"/> has passed validation.</summary>
    /// <param name="clockSkew"><c>Events:Limits:ClockSkew</c>: a time ahead of the server by at most this is clamped, not flagged.</param>
    public static string? Reason(Event evt, long nowMs, TimeSpan oldEventAge, TimeSpan clockSkew)
    {
        DispatchValidator.TryParseTimestamp(evt.Timestamp, out var sentMs);
        return Reason(evt, sentMs, TimingOf(sentMs, nowMs, oldEventAge, clockSkew), nowMs, oldEventAge);
    }

    /// <summary>Where a validated event's time stands against the server's: the flag its time earns, if any.</summary>
    public static EventTiming TimingOf(long sentMs, long nowMs, TimeSpan oldEventAge, TimeSpan clockSkew) =>
        IsAhead(sentMs, nowMs, clockSkew) ? EventTiming.Ahead
        : IsOld(sentMs, nowMs, oldEventAge) ? EventTiming.Old
        : EventTiming.AsSent;

    /// <summary>The reason for an event whose time was parsed (<paramref name="sentMs"/>) and placed (<paramref name="timing"/>) already.</summary>
    public static string? Reason(Event evt, long sentMs, EventTiming timing, long nowMs, TimeSpan oldEventAge)
    {
        var time = timing switch
        {
            EventTiming.Ahead => AheadOfServer(sentMs, nowMs),
            EventTiming.Old => $"timestamp {Time(sentMs)} is older than {Age(oldEventAge)}; stored as sent",
            _ => null,
        };
        var type = evt.EventOfCase != Event.EventOfOneofCase.None ? null
            : HasUnknownFields(evt) ? $"event type unknown to this build; stored as {EventGrouper.UnknownEventName} with the whole event in params.rawEvent"
            : $"no event type set; stored as {EventGrouper.UnknownEventName}";
        return time is null ? type : type is null ? time : $"{time}; {type}";
    }

    /// <summary>A time after the server's (a clock running ahead): the event is stored with the server's time.</summary>
    public static string AheadOfServer(long sentMs, long nowMs) =>
        $"timestamp {Time(sentMs)} is ahead of the server clock; stored as {Time(nowMs)}";

    /// <summary>
    /// Further ahead of the server than <c>Events:Limits:ClockSkew</c>: clamped and flagged. An event ahead by at most
    /// that is clamped too (a clock a few seconds fast), but not flagged. <paramref name="clockSkew"/> is validated (0 to 1 day).
    /// </summary>
    public static bool IsAhead(long sentMs, long nowMs, TimeSpan clockSkew) =>
        sentMs > nowMs + (long)clockSkew.TotalMilliseconds;

    /// <summary>A time sent but not readable (a webhook's): the event is stored with the time it was received.</summary>
    public static string UnreadableTime(string sent, long nowMs) =>
        $"timestamp '{(sent.Length <= 32 ? sent : sent[..32] + "...")}' is not a readable time from 2000 to 9999; stored as the receive time {Time(nowMs)}";

    /// <summary>Older than <c>Events:Limits:OldEventAge</c>: stored unchanged, flagged.</summary>
    public static bool IsOld(long sentMs, long nowMs, TimeSpan oldEventAge) =>
        sentMs < nowMs - (long)oldEventAge.TotalMilliseconds;

    /// <summary>
    /// True when the event carries fields this build does not know: with no type set, a newer client's oneof number.
    /// </summary>
    public static bool HasUnknownFields(Event evt) =>
        evt.CalculateSize() != new Event { Id = evt.Id, Timestamp = evt.Timestamp, CurrentURL = evt.CurrentURL }.CalculateSize();

    private static string Time(long ms) => ms <= MaxDateMs
        ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)
        : $"{ms} ms (after the year 9999)";

    private static string Age(TimeSpan age) => age.Ticks % TimeSpan.TicksPerDay != 0
        ? age.ToString("c", CultureInfo.InvariantCulture)
        : age.Days == 1 ? "1 day" : $"{age.Days} days";
}

/// <summary>
/// A validated event's time against the server's: as sent (a clock ahead by at most the skew is clamped, not flagged),
/// further ahead than the skew (clamped and flagged), or older than the bound (stored as sent, flagged).
/// </summary>
public enum EventTiming { AsSent, Ahead, Old }
