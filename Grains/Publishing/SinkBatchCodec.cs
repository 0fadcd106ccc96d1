using Orleans.Serialization;

namespace Events.Grains.Publishing;

/// <summary>Packs a message's groups into one byte array for the stream, and unpacks them in the sink (<see cref="SinkBatch"/>).</summary>
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
            EncodedGroups = serializer.SerializeToArray([.. groups]),
            EncodedEventCount = events,
            EncodedReceivedAtUtc = oldest,
        };
    }

    public IReadOnlyList<EventGroup> Decode(SinkBatch batch) =>
        batch.Groups ?? (batch.EncodedGroups is { } encoded ? serializer.Deserialize(encoded) ?? [] : []);
}
