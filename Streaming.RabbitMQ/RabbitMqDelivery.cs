using RabbitMQ.Client;

namespace Events.Streaming.RabbitMQ;

/// <summary>A message as the broker handed it over on the receiver's channel <paramref name="Generation"/>.</summary>
internal sealed record RabbitMqDelivery(
    int Generation,
    ulong Tag,
    byte[] Body,
    bool Redelivered,
    string Exchange,
    string RoutingKey,
    IReadOnlyBasicProperties Properties)
{
    public RabbitMqReceipt Receipt => new(Generation, Tag, Body.Length);
}

/// <summary>
/// What settling a delivery takes, without its body: the receiver keeps only this while the delivery's batch waits in
/// the cache and the sinks, which hold the events already.
/// </summary>
internal readonly record struct RabbitMqReceipt(int Generation, ulong Tag, int Bytes);
