using System.Text.Json;
using Events.Api.Dispatch;
using Events.Api.Security;
using Events.Protos;
using Microsoft.Extensions.Options;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.Unit;

public sealed class EventGrouperTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_750_000_000_000);
    private readonly EventGrouper _grouper = new(new ManualClock { Now = Now }, Options.Create(new LimitsOptions()));

    [Fact]
    public void Group_MixedTypes_OneGroupPerMessageTypeName()
    {
        var batch = Batch(Header("d1"), Launch("a", 1), PageOpened("b", 2), Launch("c", 3), AddToCart("d", 4));

        var groups = _grouper.Group(batch, "grpc").Groups;

        Assert.Equal(["AddToCartEvent", "LaunchEvent", "PageOpenedEvent"], groups.Select(g => g.EventName).Order());
        Assert.Equal(["a", "c"], groups.Single(g => g.EventName == "LaunchEvent").Events.Select(e => e.Id));
        Assert.All(groups, g => Assert.Equal("grpc", g.Source));
        Assert.All(groups, g => Assert.Equal("d1", g.Header.DeviceId));
        Assert.All(groups, g => Assert.Equal(Now.UtcDateTime, g.ReceivedAtUtc));
    }

    [Fact]
    public void Group_FutureTimestamp_IsClampedToNow_PastIsKept()
    {
        var past = Now.ToUnixTimeMilliseconds() - 86_400_000;
        var batch = Batch(Header("d1"), Launch("future", Now.ToUnixTimeMilliseconds() + 5_000), Launch("past", past));

        var events = _grouper.Group(batch, "grpc").Groups.Single().Events;

        Assert.Equal(Now.ToUnixTimeMilliseconds(), events.Single(e => e.Id == "future").TimestampMs);
        Assert.Equal(past, events.Single(e => e.Id == "past").TimestampMs);
    }

    [Fact]
    public void Group_CorrectedOrFlaggedEvents_CarryTheReason_OthersNone()
    {
        var now = Now.ToUnixTimeMilliseconds();
        var batch = Batch(Header("d1"), Launch("ok", now - 1_000), Launch("future", now + 5 * 60_000),
            Launch("old", now - 90 * 86_400_000L), new Event { Id = "untyped", Timestamp = now.ToString() });

        var events = _grouper.Group(batch, "grpc").Groups.SelectMany(g => g.Events).ToDictionary(e => e.Id);

        Assert.Null(events["ok"].Flag);
        Assert.Equal(now, events["future"].TimestampMs);
        Assert.Equal(EventFlags.Reason(batch.Events_[1], now, TimeSpan.FromDays(30), TimeSpan.FromMinutes(1)), events["future"].Flag);
        Assert.StartsWith("timestamp ", events["future"].Flag);
        Assert.EndsWith("is older than 30 days; stored as sent", events["old"].Flag);
        Assert.Equal("no event type set; stored as UnknownEvent", events["untyped"].Flag);
    }

    [Fact]
    public void Group_AheadByAtMostClockSkew_IsClamped_NotFlagged()
    {
        var now = Now.ToUnixTimeMilliseconds();
        var batch = Batch(Header("d1"), Launch("ms", now + 1), Launch("seconds", now + 5_000), Launch("bound", now + 60_000));

        var events = _grouper.Group(batch, "grpc").Groups.Single().Events; // default ClockSkew: 1 minute

        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal(now, e.TimestampMs));
        Assert.All(events, e => Assert.Null(e.Flag));
    }

    [Fact]
    public void Group_AheadByMoreThanClockSkew_IsClampedAndFlagged()
    {
        var now = Now.ToUnixTimeMilliseconds();
        var grouper = new EventGrouper(new ManualClock { Now = Now }, Options.Create(new LimitsOptions { ClockSkew = TimeSpan.FromSeconds(10) }));
        var batch = Batch(Header("d1"), Launch("within", now + 10_000), Launch("beyond", now + 10_001));

        var events = grouper.Group(batch, "grpc").Groups.Single().Events.ToDictionary(e => e.Id);

        Assert.Equal(now, events["within"].TimestampMs);
        Assert.Null(events["within"].Flag);
        Assert.Equal(now, events["beyond"].TimestampMs);
        Assert.Equal("timestamp 2025-06-15T15:06:50.001Z is ahead of the server clock; stored as 2025-06-15T15:06:40.000Z", events["beyond"].Flag);
    }

    [Fact]
    public void Group_ClockSkewZero_FlagsEveryEventAhead()
    {
        var now = Now.ToUnixTimeMilliseconds();
        var grouper = new EventGrouper(new ManualClock { Now = Now }, Options.Create(new LimitsOptions { ClockSkew = TimeSpan.Zero }));
        var batch = Batch(Header("d1"), Launch("now", now), Launch("ahead", now + 1));

        var events = grouper.Group(batch, "grpc").Groups.Single().Events.ToDictionary(e => e.Id);

        Assert.Null(events["now"].Flag);
        Assert.Equal(now, events["ahead"].TimestampMs);
        Assert.Equal("timestamp 2025-06-15T15:06:40.001Z is ahead of the server clock; stored as 2025-06-15T15:06:40.000Z", events["ahead"].Flag);
    }

    [Fact]
    public void Group_EventParams_AreTheEventMessageAsJson()
    {
        var evt = AddToCart("a", 1);
        evt.AddToCartEvent = AddToCartEvent.Parser.ParseJson("{}");
        var field = AddToCartEvent.Descriptor.Fields.InDeclarationOrder().First(f => f.FieldType == Google.Protobuf.Reflection.FieldType.String);
        field.Accessor.SetValue(evt.AddToCartEvent, "value-42");

        var ingested = _grouper.Group(Batch(Header("d1"), evt), "grpc").Groups.Single().Events.Single();

        using var json = JsonDocument.Parse(ingested.ParamsJson);
        Assert.Equal("value-42", json.RootElement.GetProperty(field.JsonName).GetString());
    }

    [Fact]
    public void Group_EachEventsParams_AreItsOwn_AfterALargeOneToo()
    {
        // The params are written through one buffer per thread: each event must start from an empty one.
        var field = AddToCartEvent.Descriptor.Fields.InDeclarationOrder().First(f => f.FieldType == Google.Protobuf.Reflection.FieldType.String);
        var values = new[] { "first", new string('x', 100_000), "third" };
        var events = values.Select((value, i) =>
        {
            var evt = AddToCart($"e{i}", 1);
            evt.AddToCartEvent = new AddToCartEvent();
            field.Accessor.SetValue(evt.AddToCartEvent, value);
            return evt;
        });

        var ingested = _grouper.Group(Batch(Header("d1"), [.. events]), "grpc").Groups.Single().Events;

        Assert.Equal(values, ingested.Select(e => JsonDocument.Parse(e.ParamsJson).RootElement.GetProperty(field.JsonName).GetString()));
    }

    [Fact]
    public void Group_EventWithoutType_IsKeptAsUnknownEvent()
    {
        var batch = Batch(Header("d1"), new Event { Id = "x", Timestamp = "1" });

        var group = _grouper.Group(batch, "grpc").Groups.Single();

        Assert.Equal(EventGrouper.UnknownEventName, group.EventName);
        Assert.Equal("{}", group.Events.Single().ParamsJson);
    }

    [Fact]
    public void Group_HeaderFields_AreCopied()
    {
        var header = Header("d9");
        var group = _grouper.Group(Batch(header, Launch("a", 1)), "grpc").Groups.Single();

        Assert.Equal(header.SessionId, group.Header.SessionId);
        Assert.Equal(header.BbDeviceId, group.Header.BbDeviceId);
        Assert.Equal(header.UserId, group.Header.UserId);
        Assert.Equal(header.CurrentURL, group.Header.CurrentUrl);
        Assert.Equal(header.UtmSource, group.Header.UtmSource);
        Assert.Equal(header.PpId, group.Header.PpId);
    }
}
