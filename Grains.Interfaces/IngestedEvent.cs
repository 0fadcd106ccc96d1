namespace Events.Grains;

/// <summary>
/// One validated event, independent of the wire format it arrived in.
/// <see cref="Id"/> is the client's event id: sinks deduplicate on it.
/// Not reference-tracked: an event appears once in a message, and tracking thousands of them made the serializer grow
/// tables big enough for the large object heap, whose allocations start gen-2 collections (BENCHMARKS.md).
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("events.IngestedEvent")]
public sealed record IngestedEvent
{
    [Id(0)] public required string Id { get; init; }

    /// <summary>The event's type name, e.g. <c>LaunchEvent</c> (the protobuf message name).</summary>
    [Id(1)] public required string Name { get; init; }

    /// <summary>Epoch milliseconds, already clamped to server time when the client sent a future one.</summary>
    [Id(2)] public required long TimestampMs { get; init; }

    [Id(3)] public string CurrentUrl { get; init; } = "";

    /// <summary>The event's own fields as a JSON object.</summary>
    [Id(4)] public string ParamsJson { get; init; } = "{}";

    /// <summary>
    /// Why the front door stored this event with a correction or a flag (a clamped future timestamp, an old one, no
    /// known type), or null. The worker also writes a flagged event to <c>error_event</c> with this reason.
    /// A new id: messages without it (older senders) read as null, older readers skip it.
    /// </summary>
    [Id(5)] public string? Flag { get; init; }
}
