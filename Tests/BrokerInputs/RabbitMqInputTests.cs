using Events.Tests.Infrastructure;
using RabbitMQ.Client;

namespace Events.Tests.BrokerInputs;

/// <summary>The stream provider reading a queue bound to another service's exchange, in an in-process silo, on the real broker.</summary>
public sealed class RabbitMqInputTests : IAsyncLifetime
{
    private readonly InputTestCluster _silo = new();

    public ValueTask InitializeAsync() => new(LocalServices.RequireAsync("RabbitMQ", LocalServices.RabbitMqPort));

    [Fact]
    public async Task JsonPublishedToTheExchange_WithABoundRoutingKey_ReachesTheConsumer_AndIsAcknowledged()
    {
        await _silo.StartAsync(input => input.RoutingKeys = ["orders.*"]);

        await RabbitMqExchanges.PublishAsync(_silo.Exchange, "orders.created", """["a","b"]""");
        await RabbitMqExchanges.PublishAsync(_silo.Exchange, "orders.paid", """["c"]""");
        await _silo.PublishUnroutedAsync("users.created", """["not-bound"]""");

        await _silo.WaitForItemsAsync(3);
        Assert.Equal(["a", "b", "c"], InputProbe.ReceivedBy(_silo.Key).Order());
        await _silo.StopAfterAcksAsync();
        Assert.Equal(0u, await RabbitMqQueues.ReadyCountAsync(_silo.Queue));
    }

    [Fact]
    public async Task AMessageItsConsumerCannotStore_IsNotAcknowledged()
    {
        await _silo.StartAsync(input => input.RoutingKeys = ["#"]);
        InputProbe.Failing[_silo.Key] = true;

        await RabbitMqExchanges.PublishAsync(_silo.Exchange, "any", """["kept"]""");
        await Eventually.Until(() => Task.FromResult(InputProbe.Attempts.GetValueOrDefault(_silo.Key)), n => n >= 2, InputTestCluster.Patience,
            n => $"the consumer was tried {n} times");
        await _silo.StopAsync();

        Assert.Empty(InputProbe.ReceivedBy(_silo.Key));
        Assert.Equal(1u, await RabbitMqQueues.ReadyCountAsync(_silo.Queue));
        Assert.Empty(await RabbitMqExchanges.PeekAsync(_silo.DeadLetters));
    }

    [Fact]
    public async Task ManyMessages_AreFoldedIntoFewDeliveries_SpreadOverTheInputsStreams()
    {
        const int Messages = 200;
        // Queued before the silo starts, so the receiver finds many at once.
        await _silo.DeclareInputQueueAsync(routingKey: "burst");
        for (var i = 0; i < Messages; i++)
        {
            await RabbitMqExchanges.PublishAsync(_silo.Exchange, "burst", $"[\"m{i}\"]");
        }

        await _silo.StartAsync(input =>
        {
            input.RoutingKeys = ["burst"];
            input.StreamNamespace = InputProbe.Namespace + ".{shard}";
            input.Streams = 4;
            input.MaxMessagesPerBatch = 20;
        });

        await _silo.WaitForItemsAsync(Messages);
        Assert.Equal(Enumerable.Range(0, Messages).Select(i => $"m{i}").Order(), InputProbe.ReceivedBy(_silo.Key).Order());
        var deliveries = InputProbe.DeliveriesTo(_silo.Key);
        Assert.True(deliveries.Count <= Messages / 2, $"{Messages} messages took {deliveries.Count} deliveries");
        Assert.True(deliveries.Distinct().Count() > 1, $"every delivery came on {string.Join(", ", deliveries.Distinct())}");
        Assert.All(deliveries, ns => Assert.Matches(@"^input-probe\.[0-3]$", ns));
    }

    [Fact]
    public async Task AnExistingExchangeOfAnotherType_IsUsedAsItIs()
    {
        await _silo.DeclareExchangeAsync(ExchangeType.Direct, durable: false);
        await _silo.StartAsync(input => input.RoutingKeys = ["exact"]); // configured as topic, for when it is absent

        await RabbitMqExchanges.PublishAsync(_silo.Exchange, "exact", """["direct"]""");

        await _silo.WaitForItemsAsync(1);
        Assert.Equal(["direct"], InputProbe.ReceivedBy(_silo.Key));
    }

    public ValueTask DisposeAsync() => _silo.DisposeAsync();
}
