using System.Text;
using Events.Cli.DeadLetters;
using Events.Streaming.RabbitMQ;
using Events.Tests.Infrastructure;
using Events.Tests.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Streams;
using Orleans.TestingHost;
using RabbitMQ.Client;

namespace Events.Tests.BrokerInputs;

/// <summary>The stream provider reading queues bound to other services' exchanges, in an in-process silo, on the real broker.</summary>
public sealed class RabbitMqInputTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _prefix = $"t-input-{Guid.NewGuid():N}"[..24];
    private readonly QueueReadLog _reads = new();
    private InProcessTestCluster? _cluster;

    private string Exchange => $"{_prefix}.exchange";
    private string Queue => $"{_prefix}.input";
    private string Key => $"{_prefix}-key";
    private string DeadLetters => RabbitMqQueues.DeadLetterQueue(_prefix);

    public ValueTask InitializeAsync() => new(LocalServices.RequireAsync("RabbitMQ", LocalServices.RabbitMqPort));

    [Fact]
    public async Task JsonPublishedToTheExchange_WithABoundRoutingKey_ReachesTheConsumer_AndIsAcknowledged()
    {
        await StartAsync(input => input.RoutingKeys = ["orders.*"]);

        await RabbitMqExchanges.PublishAsync(Exchange, "orders.created", """["a","b"]""");
        await RabbitMqExchanges.PublishAsync(Exchange, "orders.paid", """["c"]""");
        await PublishUnroutedAsync("users.created", """["not-bound"]""");

        await WaitForItemsAsync(3);
        Assert.Equal(["a", "b", "c"], InputProbe.ReceivedBy(Key).Order());
        await StopAfterAcksAsync();
        Assert.Equal(0u, await RabbitMqQueues.ReadyCountAsync(Queue));
    }

    [Fact]
    public async Task AMessageItsConsumerCannotStore_IsNotAcknowledged()
    {
        await StartAsync(input => input.RoutingKeys = ["#"]);
        InputProbe.Failing[Key] = true;

        await RabbitMqExchanges.PublishAsync(Exchange, "any", """["kept"]""");
        await Eventually.Until(() => Task.FromResult(InputProbe.Attempts.GetValueOrDefault(Key)), n => n >= 2, Patience,
            n => $"the consumer was tried {n} times");
        await StopAsync();

        Assert.Empty(InputProbe.ReceivedBy(Key));
        Assert.Equal(1u, await RabbitMqQueues.ReadyCountAsync(Queue));
        Assert.Empty(await RabbitMqExchanges.PeekAsync(DeadLetters));
    }

    [Fact]
    public async Task MessagesTheDecoderRefusesOrFailsOn_GoToTheDeadLetterQueueWithTheReason_AndTheNextMessageArrives()
    {
        await StartAsync(input => input.RoutingKeys = ["#"]);
        var origin = new Dictionary<string, object?> { ["x-origin"] = "billing" };

        await RabbitMqExchanges.PublishAsync(Exchange, "bad.text", "not json at all", origin);
        await RabbitMqExchanges.PublishAsync(Exchange, "bad.boom", "\"boom\"");
        await RabbitMqExchanges.PublishAsync(Exchange, "good", """["after-the-bad-ones"]""");

        await WaitForItemsAsync(1);
        var letters = await Eventually.Until(() => RabbitMqExchanges.PeekAsync(DeadLetters), found => found.Count >= 2, Patience,
            found => $"expected 2 dead letters, found {found.Count}");
        var text = letters.Single(l => l.Text == "not json at all");
        Assert.StartsWith("not a JSON list of strings", text.Headers["x-events-reason"]);
        Assert.Equal(Queue, text.Headers["x-events-queue"]);
        Assert.Equal(Exchange, text.Headers["x-events-exchange"]);
        Assert.Equal("bad.text", text.Headers["x-events-routing-key"]);
        Assert.Equal("billing", text.Headers["x-origin"]);
        Assert.Equal("application/json", text.ContentType);
        var boom = letters.Single(l => l.Text == "\"boom\"");
        Assert.Contains("InvalidOperationException: the probe decoder blew up", boom.Headers["x-events-reason"]);
        await StopAfterAcksAsync();
        Assert.Equal(0u, await RabbitMqQueues.ReadyCountAsync(Queue));
    }

    [Fact]
    public async Task ARefusedMessage_ReplayedAfterTheFix_IsReadAsItFirstCame()
    {
        await StartAsync(input => input.RoutingKeys = ["orders.*"]);
        InputProbe.Refusing[Key] = true;

        await RabbitMqExchanges.PublishAsync(Exchange, "orders.refunded", """["refund-1"]""", new Dictionary<string, object?> { ["x-origin"] = "billing" });
        await Eventually.Until(() => RabbitMqExchanges.PeekAsync(DeadLetters), found => found.Count >= 1, Patience,
            found => $"expected a dead letter, found {found.Count}");
        InputProbe.Refusing.TryRemove(Key, out _);

        await using (var deadLetters = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, _prefix))
        {
            var listing = new StringWriter();
            await DeadLetterCommands.ListAsync(deadLetters, listing, limit: 10);
            Assert.Contains($"input queue {Queue} could not read: refused until the test fixes it", listing.ToString());
        }
        await using (var deadLetters = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, _prefix))
        {
            Assert.Equal((1, 0), await DeadLetterCommands.ReplayAsync(deadLetters, null!, TextWriter.Null, limit: 10));
        }

        await WaitForItemsAsync(1);
        Assert.Equal(["refund-1"], InputProbe.ReceivedBy(Key));
        Assert.Equal([$"{Exchange} orders.refunded"], InputProbe.Origins[Key]);
        Assert.Empty(await RabbitMqExchanges.PeekAsync(DeadLetters));
    }

    [Fact]
    public async Task ManyMessages_AreFoldedIntoFewDeliveries_SpreadOverTheInputsStreams()
    {
        const int Messages = 200;
        // Queued before the silo starts, so the receiver finds many at once.
        await DeclareInputQueueAsync(routingKey: "burst");
        for (var i = 0; i < Messages; i++)
        {
            await RabbitMqExchanges.PublishAsync(Exchange, "burst", $"[\"m{i}\"]");
        }

        await StartAsync(input =>
        {
            input.RoutingKeys = ["burst"];
            input.StreamNamespace = InputProbe.Namespace + ".{shard}";
            input.Streams = 4;
            input.MaxMessagesPerBatch = 20;
        });

        await WaitForItemsAsync(Messages);
        Assert.Equal(Enumerable.Range(0, Messages).Select(i => $"m{i}").Order(), InputProbe.ReceivedBy(Key).Order());
        var deliveries = InputProbe.DeliveriesTo(Key);
        Assert.True(deliveries.Count <= Messages / 2, $"{Messages} messages took {deliveries.Count} deliveries");
        Assert.True(deliveries.Distinct().Count() > 1, $"every delivery came on {string.Join(", ", deliveries.Distinct())}");
        Assert.All(deliveries, ns => Assert.Matches(@"^input-probe\.[0-3]$", ns));
    }

    [Fact]
    public async Task AnExistingExchangeOfAnotherType_IsUsedAsItIs()
    {
        await DeclareExchangeAsync(ExchangeType.Direct, durable: false);
        await StartAsync(input => input.RoutingKeys = ["exact"]); // configured as topic, for when it is absent

        await RabbitMqExchanges.PublishAsync(Exchange, "exact", """["direct"]""");

        await WaitForItemsAsync(1);
        Assert.Equal(["direct"], InputProbe.ReceivedBy(Key));
    }

    [Fact]
    public async Task InvalidInputs_StopTheSilo_WithEveryProblemNamed()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(configureOptions: options => options.Inputs =
        [
            new() { Queue = "", Exchange = "x", ExchangeType = "headers", RoutingKeys = ["k"], StreamNamespace = "ns", StreamKey = "k", Decoder = InputProbe.Decoder },
            new() { Queue = "q", Exchange = "x", RoutingKeys = [], StreamNamespace = "ns", StreamKey = "k", Streams = 2, Decoder = "nope" },
            new() { Queue = "q", Exchange = "x", RoutingKeys = ["k"], StreamNamespace = "ns", StreamKey = "k", Decoder = InputProbe.Decoder },
            new() { Queue = $"{_prefix}-0", Exchange = "x", RoutingKeys = ["k"], StreamNamespace = "ns", StreamKey = "", Decoder = InputProbe.Decoder },
        ]));

        var message = error.ToString();
        Assert.Contains("Inputs:0:Queue is required", message);
        Assert.Contains("Inputs:0:ExchangeType 'headers'", message);
        Assert.Contains("Inputs:1:RoutingKeys needs at least one key", message);
        Assert.Contains("Inputs:1:StreamNamespace must contain {shard}", message);
        Assert.Contains("Inputs:1:Decoder 'nope' is not registered", message);
        Assert.Contains("Inputs:2:Queue 'q' is read by an earlier input", message);
        Assert.Contains($"Inputs:3:Queue '{_prefix}-0' is one of the provider's own queues", message);
        Assert.Contains("Inputs:3:StreamKey is required", message);
    }

    private async Task StartAsync(Action<RabbitMqInputOptions>? configureInput = null, Action<RabbitMqStreamOptions>? configureOptions = null)
    {
        var input = new RabbitMqInputOptions
        {
            Queue = Queue,
            Exchange = Exchange,
            StreamNamespace = InputProbe.Namespace,
            StreamKey = Key,
            Decoder = InputProbe.Decoder,
        };
        configureInput?.Invoke(input);
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((silo, siloBuilder) => siloBuilder.AddRabbitMqStreams(StreamProbe.Provider, streams =>
        {
            siloBuilder.Services.AddKeyedSingleton<IRabbitMqMessageDecoder, InputProbeDecoder>(InputProbe.Decoder);
            siloBuilder.Services.AddKeyedSingleton<IQueueAdapterFactory>(StreamProbe.Provider, (services, key) =>
                new RecordingQueueAdapterFactory(RabbitMqAdapterFactory.Create(services, (string)key!), silo.SiloName, _reads));
            streams.ConfigureRabbitMq(ob => ob.Configure(options =>
            {
                options.Port = LocalServices.RabbitMqPort;
                options.QueueNamePrefix = _prefix;
                options.QueueCount = 1;
                options.Inputs = [input];
                configureOptions?.Invoke(options);
            }));
            streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
        }));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    private Task WaitForItemsAsync(int count) => Eventually.Until(() => Task.FromResult(InputProbe.ReceivedBy(Key)),
        items => items.Count >= count, Patience, items => $"received {items.Count} of {count} items");

    // The agent acks on a later pump tick than the delivery; stopping first would hand the messages back to the queue.
    private async Task StopAfterAcksAsync()
    {
        await Eventually.Until(() => Task.FromResult(_reads.Unreported()), count => count == 0, Patience,
            count => $"the agent has not reported {count} delivered batches");
        await StopAsync();
    }

    private async Task DeclareExchangeAsync(string type, bool durable)
    {
        await using var connection = await new ConnectionFactory { Port = LocalServices.RabbitMqPort }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(Exchange, type, durable, autoDelete: false);
    }

    // As the receiver declares it, so that it can be filled before the silo starts.
    private async Task DeclareInputQueueAsync(string routingKey)
    {
        await DeclareExchangeAsync(ExchangeType.Topic, durable: true);
        await using var connection = await new ConnectionFactory { Port = LocalServices.RabbitMqPort }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false, new Dictionary<string, object?>
        {
            ["x-single-active-consumer"] = true,
            ["x-dead-letter-exchange"] = DeadLetters,
        });
        await channel.QueueBindAsync(Queue, Exchange, routingKey);
    }

    private async Task PublishUnroutedAsync(string routingKey, string body)
    {
        await using var connection = await new ConnectionFactory { Port = LocalServices.RabbitMqPort }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.BasicPublishAsync(Exchange, routingKey, Encoding.UTF8.GetBytes(body));
    }

    private async Task StopAsync()
    {
        if (_cluster is null) return;
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        _cluster = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await RabbitMqQueues.DeleteAsync(_prefix, 1);
        await RabbitMqExchanges.DeleteAsync([Queue], [Exchange]);
    }
}
