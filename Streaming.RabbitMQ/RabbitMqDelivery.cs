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
    IReadOnlyBasicProperties Properties);
