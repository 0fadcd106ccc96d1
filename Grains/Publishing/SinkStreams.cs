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

    public const string NamespacePattern = @"^sink\.\d+$";

    public static StreamId For(string table, int shard) => StreamId.Create($"sink.{shard}", table);
}
