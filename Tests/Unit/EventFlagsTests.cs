using Events.Api.Dispatch;
using Events.Api.Security;
using Events.Protos;
using Google.Protobuf;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.Unit;

/// <summary>The reason an event stored with a correction or a flag carries into its error_event row.</summary>
public sealed class EventFlagsTests
{
    private const long Now = 1_750_000_000_000; // 2025-06-15T15:06:40.000Z
    private const long Day = 86_400_000;
    private static readonly TimeSpan ThirtyDays = TimeSpan.FromDays(30);
    private static readonly TimeSpan Skew = new LimitsOptions().ClockSkew; // 1 minute

    [Fact]
    public void Reason_FurtherAheadThanClockSkew_SaysItWasClampedToServerTime()
    {
        Assert.Equal("timestamp 2100-01-01T00:00:00.000Z is ahead of the server clock; stored as 2025-06-15T15:06:40.000Z",
            EventFlags.Reason(Launch("a", 4_102_444_800_000), Now, ThirtyDays, Skew));
        Assert.Equal("timestamp 2025-06-15T15:07:40.001Z is ahead of the server clock; stored as 2025-06-15T15:06:40.000Z",
            EventFlags.Reason(Launch("a", Now + 60_001), Now, ThirtyDays, Skew));
    }

    [Fact]
    public void Reason_AheadByAtMostClockSkew_IsNull()
    {
        Assert.Null(EventFlags.Reason(Launch("a", Now + 1), Now, ThirtyDays, Skew));
        Assert.Null(EventFlags.Reason(Launch("a", Now + 5_000), Now, ThirtyDays, Skew));
        Assert.Null(EventFlags.Reason(Launch("a", Now + 60_000), Now, ThirtyDays, Skew)); // exactly at the bound
        Assert.Null(EventFlags.Reason(Launch("a", Now + Day), Now, ThirtyDays, TimeSpan.FromDays(1)));
    }

    [Fact]
    public void Reason_ClockSkewZero_FlagsEveryTimeAhead()
    {
        Assert.Equal("timestamp 2025-06-15T15:06:40.001Z is ahead of the server clock; stored as 2025-06-15T15:06:40.000Z",
            EventFlags.Reason(Launch("a", Now + 1), Now, ThirtyDays, TimeSpan.Zero));
        Assert.Null(EventFlags.Reason(Launch("a", Now), Now, ThirtyDays, TimeSpan.Zero));
    }

    [Fact]
    public void Reason_TimestampPastTheYear9999_IsGivenInMilliseconds()
    {
        var evt = Launch("a", 0);
        evt.Timestamp = long.MaxValue.ToString();

        Assert.Equal($"timestamp {long.MaxValue} ms (after the year 9999) is ahead of the server clock; stored as 2025-06-15T15:06:40.000Z",
            EventFlags.Reason(evt, Now, ThirtyDays, Skew));
    }

    [Fact]
    public void Reason_OlderThanTheBound_IsStoredAsSent()
    {
        Assert.Equal("timestamp 2025-03-17T15:06:40.000Z is older than 30 days; stored as sent",
            EventFlags.Reason(Launch("a", Now - 90 * Day), Now, ThirtyDays, Skew));
        Assert.Equal("timestamp 1970-01-01T00:00:00.000Z is older than 1 day; stored as sent",
            EventFlags.Reason(Launch("a", 0), Now, TimeSpan.FromDays(1), Skew));
        Assert.Equal("timestamp 2025-06-15T03:06:39.999Z is older than 12:00:00; stored as sent",
            EventFlags.Reason(Launch("a", Now - Day / 2 - 1), Now, TimeSpan.FromHours(12), Skew));
    }

    [Fact]
    public void Reason_NowOrWithinTheBound_IsNull()
    {
        Assert.Null(EventFlags.Reason(Launch("a", Now), Now, ThirtyDays, Skew));
        Assert.Null(EventFlags.Reason(Launch("a", Now - 30 * Day), Now, ThirtyDays, Skew)); // exactly at the bound
        Assert.Null(EventFlags.Reason(Launch("a", Now - 1000), Now, ThirtyDays, Skew));
    }

    [Fact]
    public void Reason_NoTypeOrAnUnknownOneof_IsStoredAsUnknownEvent()
    {
        var untyped = new Event { Id = "x", Timestamp = Now.ToString() };
        byte[] unknown = [0xC2, 0x3E, 0x02, 0x08, 0x01]; // field 1000, a nested message {1: 1}
        var newer = Event.Parser.ParseFrom([.. untyped.ToByteArray(), .. unknown]);

        Assert.Equal("no event type set; stored as UnknownEvent", EventFlags.Reason(untyped, Now, ThirtyDays, Skew));
        Assert.Equal("event type unknown to this build; stored as UnknownEvent with the whole event in params.rawEvent",
            EventFlags.Reason(newer, Now, ThirtyDays, Skew));
    }

    [Fact]
    public void Reason_SeveralCorrections_AreAllGiven()
    {
        var evt = new Event { Id = "x", Timestamp = (Now + 5 * 60_000).ToString() };

        Assert.Equal("timestamp 2025-06-15T15:11:40.000Z is ahead of the server clock; stored as 2025-06-15T15:06:40.000Z; "
            + "no event type set; stored as UnknownEvent", EventFlags.Reason(evt, Now, ThirtyDays, Skew));
    }

    [Fact]
    public void Group_CountsWhatItFlags()
    {
        var batch = Batch(Header("d1"), Launch("now", Now), Launch("skewed", Now + 60_000), Launch("future", Now + 60_001),
            Launch("old", Now - 31 * Day), Launch("older", 5), new Event { Id = "x", Timestamp = Now.ToString() });

        var (groups, flags) = Grouper(Skew).Group(batch, "grpc");
        Assert.Equal(new BatchFlags(2, 5, 1, 1), flags);
        Assert.Equal(4, groups.SelectMany(g => g.Events).Count(e => e.Flag is not null));
        // With no tolerance the event a minute ahead is flagged and counted too.
        (groups, flags) = Grouper(TimeSpan.Zero).Group(batch, "grpc");
        Assert.Equal(new BatchFlags(2, 5, 1, 2), flags);
        Assert.Equal(5, groups.SelectMany(g => g.Events).Count(e => e.Flag is not null));
    }

    private static EventGrouper Grouper(TimeSpan clockSkew) => new(new ManualClock { Now = DateTimeOffset.FromUnixTimeMilliseconds(Now) },
        Microsoft.Extensions.Options.Options.Create(new LimitsOptions { OldEventAge = ThirtyDays, ClockSkew = clockSkew }));

    [Fact]
    public void Problems_ClockSkewOutsideZeroToOneDay_IsListed()
    {
        Assert.Empty(new LimitsOptions { ClockSkew = TimeSpan.Zero }.Problems());
        Assert.Empty(new LimitsOptions { ClockSkew = TimeSpan.FromDays(1) }.Problems());
        Assert.Equal(["Events:Limits:ClockSkew -00:00:01 must be between 00:00:00 and 1.00:00:00 (0 flags every future timestamp)."],
            new LimitsOptions { ClockSkew = TimeSpan.FromSeconds(-1) }.Problems());
        Assert.Equal(["Events:Limits:ClockSkew 1.00:00:00.0010000 must be between 00:00:00 and 1.00:00:00 (0 flags every future timestamp)."],
            new LimitsOptions { ClockSkew = TimeSpan.FromDays(1) + TimeSpan.FromMilliseconds(1) }.Problems());
    }
}
