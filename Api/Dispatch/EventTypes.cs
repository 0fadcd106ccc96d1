using Events.Protos;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Events.Api.Dispatch;

/// <summary>
/// The event types of the <c>EventOf</c> oneof, read from the protobuf descriptors once and looked up by the
/// generated case number: asking the descriptor per event (reflection) cost ~5% of the Api's CPU at peak (perf).
/// </summary>
public static class EventTypes
{
    private static readonly Dictionary<Event.EventOfOneofCase, FieldDescriptor> Fields =
        Event.Descriptor.Oneofs.Single(o => o.Name == "EventOf").Fields.ToDictionary(f => (Event.EventOfOneofCase)f.FieldNumber);

    /// <summary>The event's type name, e.g. <c>LaunchEvent</c> (its protobuf message name), or <see cref="EventGrouper.UnknownEventName"/>.</summary>
    public static string NameOf(Event evt) =>
        Fields.TryGetValue(evt.EventOfCase, out var field) ? field.MessageType.Name : EventGrouper.UnknownEventName;

    /// <summary>The event's own message (its fields, without id and timestamp), or null for an unknown type.</summary>
    public static IMessage? PayloadOf(Event evt) =>
        Fields.TryGetValue(evt.EventOfCase, out var field) ? (IMessage)field.Accessor.GetValue(evt) : null;
}
