using Events.Grains;
using Events.Grains.Inputs;
using Events.Streaming.RabbitMQ;
using Microsoft.Extensions.Options;

namespace Events.Silo.BrokerInputs;

/// <summary>
/// The stream provider's decoder for JSON inputs: each message becomes a <see cref="SinkBatch"/> for the input's
/// table (its stream key), and the batches of one delivery are folded into one, so the sink stores them in one go.
/// </summary>
internal sealed class JsonInputDecoder(IOptions<BrokerInputsOptions> options, TimeProvider time) : IRabbitMqMessageDecoder
{
    private readonly Dictionary<string, JsonInputOptions> _inputs =
        options.Value.Inputs.Where(i => i.Queue.Length > 0).DistinctBy(i => i.Queue).ToDictionary(i => i.Queue, StringComparer.Ordinal);

    public RabbitMqDecodeResult Decode(RabbitMqInputMessage message)
    {
        // Configured inputs are always found; the fallback reads an input added in code with the defaults.
        var input = _inputs.GetValueOrDefault(message.Input.Queue) ?? new JsonInputOptions { StreamKey = message.Input.StreamKey };
        return JsonMessageMapper.TryMap(message.Body, input, message.Exchange, message.RoutingKey, time.GetUtcNow().UtcDateTime,
            out var batch, out var refusal)
            ? RabbitMqDecodeResult.Accept([batch])
            : RabbitMqDecodeResult.Refuse(refusal);
    }

    public IReadOnlyList<object> Combine(IReadOnlyList<object> events) => SinkBatchFold.Fold(events);
}
