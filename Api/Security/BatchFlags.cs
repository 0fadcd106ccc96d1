namespace Events.Api.Security;

/// <summary>
/// What is stored but worth flagging in a valid batch, for the metrics and the log line: events older than the
/// bound, events without a known type, events further in the future than <c>Events:Limits:ClockSkew</c> (clamped to
/// server time). Each such event also gets an <c>error_event</c> row (<see cref="EventFlags"/>); an event ahead by at most
/// the skew is clamped but neither flagged nor counted. Counted by <see cref="Dispatch.EventGrouper"/> in the pass that
/// flags the events, so the counts match the rows.
/// </summary>
public readonly record struct BatchFlags(int OldEvents, long OldestMs, int UnknownEvents, int FutureEvents = 0)
{
    /// <summary>These counts with one more event of the given timing and type.</summary>
    public BatchFlags With(EventTiming timing, long sentMs, bool untyped) => this with
    {
        OldEvents = OldEvents + (timing == EventTiming.Old ? 1 : 0),
        OldestMs = timing != EventTiming.Old ? OldestMs : OldEvents == 0 ? sentMs : Math.Min(OldestMs, sentMs),
        FutureEvents = FutureEvents + (timing == EventTiming.Ahead ? 1 : 0),
        UnknownEvents = UnknownEvents + (untyped ? 1 : 0),
    };
}
