namespace Events.Grains.Publishing;

/// <summary>
/// How tables map to streams. Each table is fed by several streams ("shards") so that several
/// messages can be delivered to its sink at once: a stream allows one delivery in flight.
/// The key is the table name, so every shard reaches the one sink activation for that table.
/// </summary>
public static class SinkStreams
{
    /// <summary>The name the RabbitMQ stream provider is registered under.</summary>
    public const string ProviderName = "events";

    /// <summary>
    /// The streams a sink reads: its table's own (<c>sink.N</c>) and the replay queue's (<c>replay.N</c>). Apart, so that
    /// no stream is fed from two queues: Orleans delivers a stream in the order of one queue.
    /// </summary>
    public const string NamespacePattern = @"^(sink|replay)\.\d+$";

    /// <summary>The namespaces of the replay queue's streams (<c>{shard}</c> = 0, 1, …).</summary>
    public const string ReplayNamespace = "replay.{shard}";

    public static StreamId For(string table, int shard) => StreamId.Create($"sink.{shard}", table);
}
