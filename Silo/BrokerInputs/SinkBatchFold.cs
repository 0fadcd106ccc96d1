using Events.Grains;

namespace Events.Silo.BrokerInputs;

/// <summary>What the input decoders do with the batches of one delivery (<see cref="Events.Streaming.RabbitMQ.IRabbitMqMessageDecoder.Combine"/>).</summary>
internal static class SinkBatchFold
{
    /// <summary>Batches of one table folded into one, so the sink stores them in one go; anything else as it is.</summary>
    public static IReadOnlyList<object> Fold(IReadOnlyList<object> events)
    {
        if (events.Count < 2) return events;
        var batches = events.OfType<SinkBatch>().ToList();
        if (batches.Count != events.Count || batches.Any(b => b.Table != batches[0].Table || b.Groups is null)) return events;
        return [new SinkBatch { Table = batches[0].Table, Groups = [.. batches.SelectMany(b => b.Groups!)] }];
    }
}
