using System.Text.Json;
using Events.Protos;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Events.Cli.DeadLetters;

/// <summary>
/// Turns a dead-lettered group back into the gRPC batch a client would have sent, using the proto descriptors:
/// header fields by name, the event's type by its message name, its fields from its JSON. No per-type code.
/// </summary>
internal static class WireBatch
{
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public static Protos.Events From(DeadLetterGroup group)
    {
        var batch = new Protos.Events { Header = HeaderFrom(group.Header) };
        foreach (var item in group.Events)
        {
            batch.Events_.Add(EventFrom(item));
        }
        return batch;
    }

    private static Header HeaderFrom(JsonElement json)
    {
        var header = new Header();
        foreach (var field in Header.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = json.EnumerateObject().FirstOrDefault(p => p.Name.Equals(field.Name, StringComparison.OrdinalIgnoreCase)).Value;
            if (value.ValueKind == JsonValueKind.Undefined) continue;
            field.Accessor.SetValue(header, field.FieldType == FieldType.Int64 ? value.GetInt64() : value.GetString() ?? "");
        }
        return header;
    }

    private static Event EventFrom(DeadLetterEvent item)
    {
        var wire = new Event { Id = item.Id, Timestamp = item.TimestampMs.ToString(), CurrentURL = item.CurrentUrl };
        var field = Event.Descriptor.Oneofs.Single(o => o.Name == "EventOf").Fields
            .FirstOrDefault(f => f.MessageType.Name == item.Name)
            ?? throw new InvalidOperationException($"event '{item.Id}': no event type named '{item.Name}' in the contract");
        field.Accessor.SetValue(wire, Parser.Parse(item.ParamsJson, field.MessageType));
        return wire;
    }
}
