using Events.Streaming.RabbitMQ;
using RabbitMQ.Client;

namespace Events.Tests.Unit;

public sealed class RabbitMqDeliveryTests
{
    private static RabbitMqDelivery Delivery(byte[] body) => new(1, 7, body, false, "", "q", new BasicProperties());

    [Fact]
    public void TheBody_IsACopy_OfExactlyTheBytesHandedOver()
    {
        var handed = new byte[] { 1, 2, 3, 4, 5 };
        var delivery = Delivery(handed);
        handed[0] = 99; // the client reuses its buffer after the callback

        Assert.Equal([1, 2, 3, 4, 5], delivery.Body.ToArray());
        Assert.Equal(new RabbitMqReceipt(1, 7, 5), delivery.Receipt);
    }

    [Fact]
    public void AfterTheBodyIsReturned_ReadingIt_Fails_AndReturningAgainDoesNothing()
    {
        var delivery = Delivery([1, 2, 3]);

        delivery.ReturnBody();
        delivery.ReturnBody(); // a second return must not hand the same array to two renters

        Assert.Throws<InvalidOperationException>(() => delivery.Body);
        Assert.Equal(3, delivery.Receipt.Bytes); // settling still knows its size
    }

    [Fact]
    public void AnEmptyBody_IsEmpty()
    {
        Assert.True(Delivery([]).Body.IsEmpty);
    }
}
