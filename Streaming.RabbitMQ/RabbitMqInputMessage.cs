using RabbitMQ.Client;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// A message read from an input queue, with where it came from. Its events go to the input's streams
/// (<see cref="RabbitMqInputOptions.StreamNamespace"/>, <see cref="RabbitMqInputOptions.StreamKey"/>).
/// </summary>
public sealed record RabbitMqInputMessage(
    RabbitMqInputOptions Input,
    string Exchange,
    string RoutingKey,
    ReadOnlyMemory<byte> Body,
    IReadOnlyBasicProperties Properties,
    bool Redelivered);
