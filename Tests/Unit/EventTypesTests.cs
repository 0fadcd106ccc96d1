using Events.Api.Dispatch;
using Events.Protos;
using Google.Protobuf;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.Unit;

public sealed class EventTypesTests
{
    public static TheoryData<string> OneofFields() =>
        [.. Event.Descriptor.Oneofs.Single(o => o.Name == "EventOf").Fields.Select(f => f.Name)];

    [Theory]
    [MemberData(nameof(OneofFields))]
    public void NameOf_EveryEventType_IsItsMessageName_AndPayloadOfIsTheMessage(string fieldName)
    {
        var field = Event.Descriptor.FindFieldByName(fieldName);
        var payload = (IMessage)Activator.CreateInstance(field.MessageType.ClrType)!;
        var evt = new Event { Id = "e1" };
        field.Accessor.SetValue(evt, payload);

        Assert.Equal(field.MessageType.Name, EventTypes.NameOf(evt));
        Assert.Same(payload, EventTypes.PayloadOf(evt));
    }

    [Fact]
    public void NameOf_NoTypeSet_IsUnknownEvent_WithoutPayload()
    {
        var evt = new Event { Id = "e1", Timestamp = "1" };

        Assert.Equal(EventGrouper.UnknownEventName, EventTypes.NameOf(evt));
        Assert.Null(EventTypes.PayloadOf(evt));
    }

    [Fact]
    public void NameOf_TestBatchEvents_AreTheirTypes()
    {
        Assert.Equal("LaunchEvent", EventTypes.NameOf(Launch("a", 1)));
        Assert.Equal("PageOpenedEvent", EventTypes.NameOf(PageOpened("b", 1)));
    }
}
