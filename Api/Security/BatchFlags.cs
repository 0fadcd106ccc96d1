using Events.Api.Dispatch;

namespace Events.Api.Security;

/// <summary>
/// What is stored but worth flagging in a valid batch, for the metrics and the log line: events older than the
/// bound, events without a known type, events further in the future than <c>Events:Limits:ClockSkew</c> (clamped to
/// server time). Each such event also gets an <c>error_event</c> row (<see cref="EventFlags"/>); an event ahead by at most
/// the skew is clamped but neither flagged nor counted.
/// </summary>
public readonly record struct BatchFlags(int OldEvents, long OldestMs, int UnknownEvents, int FutureEvents = 0)
{
    public static BatchFlags Inspect(Protos.Events batch, long nowMs, TimeSpan oldEventAge, TimeSpan clockSkew)
    {
        int old = 0, unknown = 0, future = 0;
        var oldest = long.MaxValue;
        foreach (var evt in batch.Events_)
        {
            if (DispatchValidator.TryParseTimestamp(evt.Timestamp, out var ms) && EventFlags.IsOld(ms, nowMs, oldEventAge))
            {
                old++;
                oldest = Math.Min(oldest, ms);
            }
            else if (EventFlags.IsAhead(ms, nowMs, clockSkew))
            {
                future++;
            }
            if (evt.EventOfCase == Protos.Event.EventOfOneofCase.None)
            {
                unknown++;
            }
        }
        return new BatchFlags(old, old == 0 ? 0 : oldest, unknown, future);
    }
}
