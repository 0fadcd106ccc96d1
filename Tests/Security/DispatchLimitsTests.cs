using Events.Api.Dispatch;
using Events.Api.Security;
using Events.Protos;
using Google.Protobuf;
using Grpc.Core;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.Security;

public sealed class DispatchLimitsTests
{
    private static readonly LimitsOptions Limits = new() { MaxEventsPerBatch = 10, MaxIdLength = 20, MaxStringLength = 40, MaxEventBytes = 500 };

    [Fact]
    public void Validate_MoreEventsThanTheLimit_IsRefusedAskingToSplit()
    {
        var batch = Batch(Header("d1"), Enumerable.Range(0, 11).Select(i => Launch($"e{i}", 1)).ToArray());
        Assert.Equal("The batch has 11 events, more than the limit of 10; split it", DispatchValidator.Validate(batch, Limits));
        batch.Events_.RemoveAt(0);
        Assert.Null(DispatchValidator.Validate(batch, Limits));
    }

    [Fact]
    public void Validate_LongId_NamesTheEventIndex()
    {
        var batch = Batch(Header("d1"), Launch("e1", 1), Launch(new string('x', 21), 1));
        Assert.Equal("events[1]: id is longer than 20 characters", DispatchValidator.Validate(batch, Limits));
    }

    [Fact]
    public void Validate_LongHeaderString_NamesTheField()
    {
        var header = Header("d1");
        header.UtmCampaign = new string('c', 41);
        Assert.Equal("header.utmCampaign is longer than 40 characters", DispatchValidator.Validate(Batch(header, Launch("e1", 1)), Limits));
        Assert.Equal("header.deviceId is longer than 20 characters", DispatchValidator.Validate(Batch(Header(new string('d', 21))), Limits));
    }

    [Fact]
    public void Validate_LongCurrentUrlOrLargeEvent_NamesTheEventIndex()
    {
        var batch = Batch(Header("d1"), Launch("e1", 1), Launch("e2", 1));
        batch.Events_[1].CurrentURL = new string('u', 41);
        Assert.Equal("events[1]: currentURL is longer than 40 characters", DispatchValidator.Validate(batch, Limits));

        batch.Events_[1].CurrentURL = "";
        batch.Events_[0].AddToCartEvent = new AddToCartEvent { ProductName = new string('p', 600) };
        Assert.StartsWith("events[0]: the event is ", DispatchValidator.Validate(batch, Limits));
    }

    [Fact]
    public void DeserializeRequest_InvalidUtf8_IsInvalidArgument()
    {
        byte[] bytes = [0x22, 0x04, 0x42, 0x02, 0xff, 0xfe]; // header.deviceId = FF FE
        var ex = Assert.Throws<RpcException>(() => DispatchMethod.DeserializeRequest(new BytesContext(bytes)));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal(DispatchMethod.Undecodable, ex.Status.Detail);
    }

    [Fact]
    public void DeserializeRequest_ValidBatch_IsDecoded()
    {
        var batch = Batch(Header("d1"), Launch("e1", 1));
        Assert.Equal(batch, DispatchMethod.DeserializeRequest(new BytesContext(batch.ToByteArray())));
    }

    [Fact]
    public void Group_OldAndUntypedEvents_AreCounted()
    {
        var now = 100L * 86_400_000;
        var batch = Batch(Header("d1"), Launch("recent", now - 1000), Launch("old", 5), new Event { Id = "x", Timestamp = "7" });

        var grouper = new EventGrouper(new Unit.ManualClock { Now = DateTimeOffset.FromUnixTimeMilliseconds(now) },
            Microsoft.Extensions.Options.Options.Create(new LimitsOptions { OldEventAge = TimeSpan.FromDays(30), ClockSkew = TimeSpan.FromMinutes(1) }));

        var flags = grouper.Group(batch, "grpc").Flags;

        Assert.Equal(new BatchFlags(2, 5, 1), flags);
    }

    [Fact]
    public void Group_UnknownOneofNumber_IsKeptWholeAsUnknownEvent()
    {
        var known = new Event { Id = "x", Timestamp = "1" }.ToByteArray();
        byte[] unknown = [0xC2, 0x3E, 0x02, 0x08, 0x01]; // field 1000, a nested message {1: 1}
        var evt = Event.Parser.ParseFrom([.. known, .. unknown]);
        var grouper = new EventGrouper(TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new LimitsOptions()));

        var ingested = grouper.Group(Batch(Header("d1"), evt), "grpc").Groups.Single().Events.Single();

        Assert.Equal(EventGrouper.UnknownEventName, ingested.Name);
        Assert.Equal($"{{\"rawEvent\":\"{Convert.ToBase64String([.. known, .. unknown])}\"}}", ingested.ParamsJson);
    }

    [Fact]
    public void Problems_ListsEveryBadLimit()
    {
        var problems = new LimitsOptions { MaxEventsPerBatch = 0, MaxRequestBytes = 10, OldEventAge = TimeSpan.Zero }.Problems().ToList();
        Assert.Equal(4, problems.Count); // MaxEventBytes is now above MaxRequestBytes too
        Assert.Empty(new LimitsOptions().Problems());
    }

    private sealed class BytesContext(byte[] bytes) : DeserializationContext
    {
        public override int PayloadLength => bytes.Length;
        public override byte[] PayloadAsNewBuffer() => bytes.ToArray();
        public override System.Buffers.ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(bytes);
    }
}
