using System.Text;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Streams;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// Streams hash onto the provider's own queues, as with <see cref="HashRingBasedStreamQueueMapper"/>. The input
/// queues are listed too, each at a ring position hashed from its name, so the queue balancer hands them to silos
/// like the others; no stream maps to them, so nothing is ever published to them.
/// </summary>
internal sealed class RabbitMqQueueMapper : IConsistentRingStreamQueueMapper
{
    private readonly HashRingBasedStreamQueueMapper _ring;
    private readonly Dictionary<QueueId, RabbitMqInputOptions> _inputs = [];
    private readonly string _inputPrefix;

    public RabbitMqQueueMapper(RabbitMqStreamOptions options, string providerName)
    {
        _ring = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = options.QueueCount }, providerName);
        _inputPrefix = providerName + ".input";
        for (var i = 0; i < options.Inputs.Count; i++)
        {
            _inputs.Add(QueueId.GetQueueId(_inputPrefix, (uint)i, RingPosition(options.Inputs[i].Queue)), options.Inputs[i]);
        }
    }

    public IEnumerable<QueueId> GetAllQueues() => _ring.GetAllQueues().Concat(_inputs.Keys);

    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range) =>
        _ring.GetQueuesForRange(range).Concat(_inputs.Keys.Where(queue => range.InRange(queue.GetUniformHashCode())));

    public QueueId GetQueueForStream(StreamId streamId) => _ring.GetQueueForStream(streamId);

    /// <summary>The input read from <paramref name="queueId"/>, if it is an input queue.</summary>
    public bool TryGetInput(QueueId queueId, out RabbitMqInputOptions input) => _inputs.TryGetValue(queueId, out input!);

    // FNV-1a with a final mix: stable across processes (string.GetHashCode is randomized), so every silo agrees,
    // and spread over the whole ring even for names that differ in one character.
    private static uint RingPosition(string queue)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(queue))
        {
            hash = (hash ^ b) * 16777619u;
        }
        hash = (hash ^ (hash >> 16)) * 0x85ebca6bu;
        hash = (hash ^ (hash >> 13)) * 0xc2b2ae35u;
        return hash ^ (hash >> 16);
    }
}
