using System.Buffers;
using RabbitMQ.Client;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// A message as the broker handed it over on the receiver's channel <see cref="Generation"/>. Its body is a copy in
/// a pooled array, returned by <see cref="ReturnBody"/> once the message has been read: a message of a few hundred
/// events is larger than 85 KB, and an array that size of its own would land on the large object heap, whose
/// allocations start gen-2 collections (BENCHMARKS.md).
/// </summary>
internal sealed class RabbitMqDelivery(
    int generation,
    ulong tag,
    ReadOnlySpan<byte> body,
    bool redelivered,
    string exchange,
    string routingKey,
    IReadOnlyBasicProperties properties)
{
    private byte[]? _rented = Copy(body);

    public int Generation { get; } = generation;
    public ulong Tag { get; } = tag;
    public int Length { get; } = body.Length;
    public bool Redelivered { get; } = redelivered;
    public string Exchange { get; } = exchange;
    public string RoutingKey { get; } = routingKey;
    public IReadOnlyBasicProperties Properties { get; } = properties;

    /// <summary>The body; only until <see cref="ReturnBody"/>.</summary>
    public ReadOnlyMemory<byte> Body => _rented is { } rented
        ? rented.AsMemory(0, Length)
        : throw new InvalidOperationException($"the body of delivery {Tag} was already returned to the pool");

    public RabbitMqReceipt Receipt => new(Generation, Tag, Length);

    /// <summary>Gives the body's array back to the pool; nothing may read <see cref="Body"/> afterwards.</summary>
    public void ReturnBody()
    {
        if (Interlocked.Exchange(ref _rented, null) is { } rented) ArrayPool<byte>.Shared.Return(rented);
    }

    private static byte[] Copy(ReadOnlySpan<byte> body)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(body.Length, 1));
        body.CopyTo(rented);
        return rented;
    }
}

/// <summary>
/// What settling a delivery takes, without its body: the receiver keeps only this while the delivery's batch waits in
/// the cache and the sinks, which hold the events already.
/// </summary>
internal readonly record struct RabbitMqReceipt(int Generation, ulong Tag, int Bytes);
