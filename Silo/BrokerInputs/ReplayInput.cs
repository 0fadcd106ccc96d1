using Events.Grains.Publishing;
using Events.Streaming.RabbitMQ;

namespace Events.Silo.BrokerInputs;

/// <summary>
/// The replay queue, <c>{QueueNamePrefix}.replay</c>, which every silo reads beside the configured inputs:
/// <c>dlq replay</c> moves letters of refused events there, and <see cref="DeadLetterReplayDecoder"/> sends each to
/// its table's sink. Named after the prefix, like the dead-letter queue, so each cluster has its own.
/// </summary>
internal static class ReplayInput
{
    public static string QueueName(string queueNamePrefix) => $"{queueNamePrefix}.replay";

    public static void AddTo(RabbitMqStreamOptions options) => options.Inputs.Add(new RabbitMqInputOptions
    {
        Queue = QueueName(options.QueueNamePrefix),
        Exchange = QueueName(options.QueueNamePrefix),
        ExchangeType = "fanout",
        StreamNamespace = SinkStreams.ReplayNamespace,
        // No StreamKey: each letter names its table.
        Streams = 4,
        Decoder = DeadLetterReplayDecoder.Name,
    });
}
