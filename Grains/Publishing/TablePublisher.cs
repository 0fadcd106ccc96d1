using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Events.Grains.Publishing;

/// <summary>One <see cref="PublishLane"/> per table, shared by every worker grain on this silo.</summary>
internal sealed class TablePublisher(ISinkStreamSender sender, SinkBatchCodec codec, IOptions<PublisherOptions> options, PublishMetrics metrics)
    : ITablePublisher
{
    private readonly ConcurrentDictionary<string, PublishLane> _lanes = new(StringComparer.Ordinal);

    public Task PublishAsync(string table, EventGroup group, TimeSpan waitAtMost) =>
        _lanes.GetOrAdd(table, t => new PublishLane(t, sender, codec, options.Value, metrics)).EnqueueAsync(group, waitAtMost);
}
