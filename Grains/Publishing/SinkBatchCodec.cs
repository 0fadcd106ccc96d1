using Orleans.Serialization;

namespace Events.Grains.Publishing;

/// <summary>
/// Packs a message's groups into one byte array for the stream (<see cref="EventGroupsFormat"/>), and unpacks them in
/// the sink (<see cref="SinkBatch"/>). Messages written by the Orleans serializer before are still read.
/// </summary>
public sealed class SinkBatchCodec(Serializer<EventGroup[]> serializer)
{
    public SinkBatch Encode(string table, IReadOnlyList<EventGroup> groups)
    {
        var events = 0;
        var oldest = groups.Count == 0 ? default : DateTime.MaxValue;
        foreach (var group in groups)
        {
            events += group.Events.Count;
            if (group.ReceivedAtUtc < oldest) oldest = group.ReceivedAtUtc;
        }
        return new SinkBatch
        {
            Table = table,
            EncodedGroups = EventGroupsFormat.Write(groups),
            EncodedFormat = EventGroupsFormat.Version,
            EncodedEventCount = events,
            EncodedReceivedAtUtc = oldest,
        };
    }

    public IReadOnlyList<EventGroup> Decode(SinkBatch batch) => batch switch
    {
        { Groups: { } groups } => groups,
        { EncodedGroups: null } => [],
        { EncodedFormat: EventGroupsFormat.Version } => EventGroupsFormat.Read(batch.EncodedGroups),
        { EncodedFormat: 0 } => serializer.Deserialize(batch.EncodedGroups) ?? [],
        _ => throw new NotSupportedException($"groups in format {batch.EncodedFormat}, which this build cannot read (a newer silo wrote them)"),
    };
}
