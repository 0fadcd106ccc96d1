using Events.Protos;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Events.Bench.Load;

/// <summary>
/// One event type of the contract with a plausible, filled-in payload. Built from the proto descriptors, so the
/// benchmark can mix any of the contract's types without a line per type.
/// </summary>
internal sealed class EventKind
{
    private static readonly OneofDescriptor EventOf = Event.Descriptor.Oneofs.Single(o => o.Name == "EventOf");

    /// <summary>Types a mobile app sends most, first: "--types 10" takes these.</summary>
    private static readonly string[] Common =
    [
        "PageOpenedEvent", "WidgetViewEvent", "ClickEvent", "LaunchEvent", "AddToCartEvent",
        "SearchEvent", "StreamEnterEvent", "AppForegroundEvent", "EnterProductEvent", "CompletePurchaseEvent",
    ];

    private EventKind(FieldDescriptor field)
    {
        Field = field;
        Name = field.MessageType.Name;
        Payload = Fill(field.MessageType);
        ParamsJson = new JsonFormatter(JsonFormatter.Settings.Default).Format(Payload);
        Url = $"app://{Name}/page";
    }

    public FieldDescriptor Field { get; }

    /// <summary>The event_name stored for this type: its message type name.</summary>
    public string Name { get; }

    /// <summary>Shared by every event of this type: the payload is only read while a batch is serialized.</summary>
    public IMessage Payload { get; }

    /// <summary>The payload as the cluster stores it in event_params.</summary>
    public string ParamsJson { get; }

    public string Url { get; }

    public Event NewEvent(string id, string timestamp)
    {
        var evt = new Event { Id = id, Timestamp = timestamp, CurrentURL = Url };
        Field.Accessor.SetValue(evt, Payload);
        return evt;
    }

    /// <summary>"10" (the first ten common types, then the contract's order), "all", or names separated by commas.</summary>
    public static IReadOnlyList<EventKind> Select(string spec)
    {
        var fields = EventOf.Fields.ToDictionary(f => f.MessageType.Name, StringComparer.Ordinal);
        IEnumerable<string> names;
        if (spec == "all")
        {
            names = fields.Keys;
        }
        else if (int.TryParse(spec, out var count))
        {
            if (count < 1 || count > fields.Count) throw new ArgumentException($"--types takes 1 to {fields.Count}, or names");
            names = Common.Concat(fields.Keys.Except(Common)).Take(count);
        }
        else
        {
            names = spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (names.FirstOrDefault(n => !fields.ContainsKey(n)) is { } unknown)
            {
                throw new ArgumentException($"--types: '{unknown}' is not an event type of the contract");
            }
        }
        return names.Select(n => new EventKind(fields[n])).ToList();
    }

    private static IMessage Fill(MessageDescriptor type)
    {
        var message = type.Parser.ParseFrom(ByteString.Empty);
        foreach (var field in type.Fields.InFieldNumberOrder())
        {
            if (field.IsMap)
            {
                var map = (System.Collections.IDictionary)field.Accessor.GetValue(message);
                map["screen"] = "home";
                map["variant"] = "b";
            }
            else if (field.IsRepeated)
            {
                var list = (System.Collections.IList)field.Accessor.GetValue(message);
                list.Add(SampleString(field, 1));
                list.Add(SampleString(field, 2));
            }
            else if (Sample(field) is { } value)
            {
                field.Accessor.SetValue(message, value);
            }
        }
        return message;
    }

    private static object? Sample(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.String => SampleString(field, 0),
        FieldType.Bool => true,
        FieldType.Int32 => 3,
        FieldType.Int64 => 1250L,
        FieldType.Double => 499.0,
        _ => null,
    };

    private static string SampleString(FieldDescriptor field, int n) => field.Name switch
    {
        var name when name.EndsWith("Id", StringComparison.Ordinal) => $"{name[..^2]}-8f3a2c{n}",
        var name when name.Contains("url", StringComparison.OrdinalIgnoreCase) || name == "deepLink" => $"https://shop.example/p/{n}",
        _ => $"{field.Name}-value{n}",
    };
}
