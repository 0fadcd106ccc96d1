using Events.Api.Dispatch;

namespace Events.Api.Security;

/// <summary>What is stored but worth flagging in a valid batch: events older than the bound, events without a known type.</summary>
public readonly record struct BatchFlags(int OldEvents, long OldestMs, int UnknownEvents)
{
    public static BatchFlags Inspect(Protos.Events batch, long nowMs, TimeSpan oldEventAge)
    {
        var bound = nowMs - (long)oldEventAge.TotalMilliseconds;
        int old = 0, unknown = 0;
        var oldest = long.MaxValue;
        foreach (var evt in batch.Events_)
        {
            if (DispatchValidator.TryParseTimestamp(evt.Timestamp, out var ms) && ms < bound)
            {
                old++;
                oldest = Math.Min(oldest, ms);
            }
            if (evt.EventOfCase == Protos.Event.EventOfOneofCase.None)
            {
                unknown++;
            }
        }
        return new BatchFlags(old, old == 0 ? 0 : oldest, unknown);
    }
}
