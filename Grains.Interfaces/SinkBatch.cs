namespace Events.Grains;

/// <summary>
/// What one stream message carries to a table's sink: every group the publisher
/// coalesced for that table while its previous message was being confirmed.
/// One object per message, so the sink gets it in a single delivery.
/// </summary>
[GenerateSerializer, Immutable, Alias("events.SinkBatch")]
public sealed record SinkBatch
{
    [Id(0)] public required string Table { get; init; }
    [Id(1)] public required IReadOnlyList<EventGroup> Groups { get; init; }

    public int EventCount => Groups.Sum(g => g.Events.Count);
}
