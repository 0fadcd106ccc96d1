using Events.Streaming.RabbitMQ;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Serialization;

namespace Events.Tests.Unit;

public sealed class PooledBodyTests
{
    private static readonly Serializer<RabbitMqBatchContainer> Serializer =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer<RabbitMqBatchContainer>>();

    [Theory]
    [InlineData(10)]
    [InlineData(300_000)]
    public void Serialized_IntoThePooledBody_IsTheSameBytesAsIntoAnArray(int payloadBytes)
    {
        // 300,000 bytes outgrow the first rented buffer several times; the bytes written before each growth must stay.
        var payload = Enumerable.Range(0, payloadBytes).Select(i => (byte)(i * 7)).ToArray();
        var container = new RabbitMqBatchContainer(StreamId.Create("ns", "key"), [payload, "text"], requestContext: null);

        using var body = new PooledBody();
        Serializer.Serialize(container, body);

        Assert.Equal(Serializer.SerializeToArray(container), body.Written.ToArray());
        var read = Serializer.Deserialize(body.Written)!;
        Assert.Equal(payload, read.GetEvents<byte[]>().First().Item1);
    }
}
