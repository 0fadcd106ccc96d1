namespace Events.Grains;

/// <summary>
/// What one stream message carries to a table's sink: every group the publisher coalesced for that table while its
/// previous message was being confirmed. One object per message, so the sink gets it in a single delivery.
/// The publisher sends the groups serialized (<see cref="EncodedGroups"/>, made and read by <c>SinkBatchCodec</c>):
/// a message waits about a second in the stream cache and the sink, and as one byte array it is one object for the
/// garbage collector instead of about ten per event, which every collection in that second would copy (BENCHMARKS.md).
/// Broker inputs, and messages published before that change, carry <see cref="Groups"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("events.SinkBatch")]
public sealed record SinkBatch
{
    [Id(0)] public required string Table { get; init; }

    /// <summary>The groups as objects, or null when they are in <see cref="EncodedGroups"/>.</summary>
    [Id(1)] public IReadOnlyList<EventGroup>? Groups { get; init; }

    /// <summary>The groups, serialized, or null when they are in <see cref="Groups"/>.</summary>
    [Id(2)] public byte[]? EncodedGroups { get; init; }

    /// <summary>With <see cref="EncodedGroups"/>: how many events they hold and when the oldest group was received.</summary>
    [Id(3)] public int EncodedEventCount { get; init; }

    [Id(4)] public DateTime EncodedReceivedAtUtc { get; init; }

    /// <summary>How <see cref="EncodedGroups"/> is written: 0 by the Orleans serializer (messages from before it had
    /// this field), 1 in <c>EventGroupsFormat</c>.</summary>
    [Id(5)] public byte EncodedFormat { get; init; }

    public int EventCount => Groups?.Sum(g => g.Events.Count) ?? EncodedEventCount;

    /// <summary>When the front end received the oldest of these events (UTC).</summary>
    public DateTime ReceivedAtUtc => Groups is null ? EncodedReceivedAtUtc : Groups.Count == 0 ? default : Groups.Min(g => g.ReceivedAtUtc);
}
