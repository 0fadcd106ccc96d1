using Events.Cli.DeadLetters;
using Events.Tests.Infrastructure;

namespace Events.Tests.BrokerInputs;

/// <summary>What the stream provider does with input messages its decoder refuses, and with inputs configured wrong.</summary>
public sealed class RabbitMqInputRefusalTests : IAsyncLifetime
{
    private readonly InputTestCluster _silo = new();

    public ValueTask InitializeAsync() => new(LocalServices.RequireAsync("RabbitMQ", LocalServices.RabbitMqPort));

    [Fact]
    public async Task MessagesTheDecoderRefusesOrFailsOn_GoToTheDeadLetterQueueWithTheReason_AndTheNextMessageArrives()
    {
        await _silo.StartAsync(input => input.RoutingKeys = ["#"]);
        var origin = new Dictionary<string, object?> { ["x-origin"] = "billing" };

        await RabbitMqExchanges.PublishAsync(_silo.Exchange, "bad.text", "not json at all", origin);
        await RabbitMqExchanges.PublishAsync(_silo.Exchange, "bad.boom", "\"boom\"");
        await RabbitMqExchanges.PublishAsync(_silo.Exchange, "good", """["after-the-bad-ones"]""");

        await _silo.WaitForItemsAsync(1);
        var letters = await Eventually.Until(() => RabbitMqExchanges.PeekAsync(_silo.DeadLetters), found => found.Count >= 2, InputTestCluster.Patience,
            found => $"expected 2 dead letters, found {found.Count}");
        var text = letters.Single(l => l.Text == "not json at all");
        Assert.StartsWith("not a JSON list of strings", text.Headers["x-events-reason"]);
        Assert.Equal(_silo.Queue, text.Headers["x-events-queue"]);
        Assert.Equal(_silo.Exchange, text.Headers["x-events-exchange"]);
        Assert.Equal("bad.text", text.Headers["x-events-routing-key"]);
        Assert.Equal("billing", text.Headers["x-origin"]);
        Assert.Equal("application/json", text.ContentType);
        var boom = letters.Single(l => l.Text == "\"boom\"");
        Assert.Contains("InvalidOperationException: the probe decoder blew up", boom.Headers["x-events-reason"]);
        await _silo.StopAfterAcksAsync();
        Assert.Equal(0u, await RabbitMqQueues.ReadyCountAsync(_silo.Queue));
    }

    [Fact]
    public async Task AnInputWithoutAStreamKey_SendsEachMessageToTheKeyItNames_AndRefusesOneThatNamesNone()
    {
        await _silo.StartAsync(input =>
        {
            input.RoutingKeys = ["#"];
            input.StreamKey = "";
        });
        var (first, second) = (_silo.Key + "-a", _silo.Key + "-b");

        await RabbitMqExchanges.PublishAsync(_silo.Exchange, $"key.{first}", """["for-a"]""");
        await RabbitMqExchanges.PublishAsync(_silo.Exchange, "no-key", """["for-nobody"]""");
        await RabbitMqExchanges.PublishAsync(_silo.Exchange, $"key.{second}", """["for-b"]""");

        await Eventually.Until(() => Task.FromResult(InputProbe.ReceivedBy(second)), items => items.Count == 1, InputTestCluster.Patience,
            items => $"{items.Count} items for {second}");
        Assert.Equal(["for-a"], InputProbe.ReceivedBy(first));
        Assert.Equal(["for-b"], InputProbe.ReceivedBy(second));
        var letter = Assert.Single(await Eventually.Until(() => RabbitMqExchanges.PeekAsync(_silo.DeadLetters), found => found.Count >= 1,
            InputTestCluster.Patience, found => $"expected a dead letter, found {found.Count}"));
        Assert.Equal("""["for-nobody"]""", letter.Text);
        Assert.Contains("has no StreamKey and its decoder named none", letter.Headers["x-events-reason"]);
    }

    [Fact]
    public async Task ARefusedMessage_ReplayedAfterTheFix_IsReadAsItFirstCame()
    {
        await _silo.StartAsync(input => input.RoutingKeys = ["orders.*"]);
        InputProbe.Refusing[_silo.Key] = true;

        await RabbitMqExchanges.PublishAsync(_silo.Exchange, "orders.refunded", """["refund-1"]""", new Dictionary<string, object?> { ["x-origin"] = "billing" });
        await Eventually.Until(() => RabbitMqExchanges.PeekAsync(_silo.DeadLetters), found => found.Count >= 1, InputTestCluster.Patience,
            found => $"expected a dead letter, found {found.Count}");
        InputProbe.Refusing.TryRemove(_silo.Key, out _);

        await using (var deadLetters = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, _silo.Prefix))
        {
            var listing = new StringWriter();
            await DeadLetterCommands.ListAsync(deadLetters, listing, limit: 10);
            Assert.Contains($"input queue {_silo.Queue} could not read: refused until the test fixes it", listing.ToString());
        }
        await using (var deadLetters = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, _silo.Prefix))
        {
            Assert.Equal((1, 0), await DeadLetterCommands.ReplayAsync(deadLetters, TextWriter.Null, limit: 10));
        }

        await _silo.WaitForItemsAsync(1);
        Assert.Equal(["refund-1"], InputProbe.ReceivedBy(_silo.Key));
        Assert.Equal([$"{_silo.Exchange} orders.refunded"], InputProbe.Origins[_silo.Key]);
        Assert.Empty(await RabbitMqExchanges.PeekAsync(_silo.DeadLetters));
    }

    [Fact]
    public async Task InvalidInputs_StopTheSilo_WithEveryProblemNamed()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => _silo.StartAsync(configureOptions: options => options.Inputs =
        [
            new() { Queue = "", Exchange = "x", ExchangeType = "headers", RoutingKeys = ["k"], StreamNamespace = "ns", StreamKey = "k", Decoder = InputProbe.Decoder },
            new() { Queue = "q", Exchange = "x", RoutingKeys = [], StreamNamespace = "ns", StreamKey = "k", Streams = 2, Decoder = "nope" },
            new() { Queue = "q", Exchange = "x", RoutingKeys = ["k"], StreamNamespace = "ns", StreamKey = "k", Decoder = InputProbe.Decoder },
            new() { Queue = $"{_silo.Prefix}-0", Exchange = "x", RoutingKeys = ["k"], StreamNamespace = "ns", StreamKey = "", Decoder = InputProbe.Decoder },
        ]));

        var message = error.ToString();
        Assert.Contains("Inputs:0:Queue is required", message);
        Assert.Contains("Inputs:0:ExchangeType 'headers'", message);
        Assert.Contains("Inputs:1:RoutingKeys needs at least one key", message);
        Assert.Contains("Inputs:1:StreamNamespace must contain {shard}", message);
        Assert.Contains("Inputs:1:Decoder 'nope' is not registered", message);
        Assert.Contains("Inputs:2:Queue 'q' is read by an earlier input", message);
        Assert.Contains($"Inputs:3:Queue '{_silo.Prefix}-0' is one of the provider's own queues", message);
    }

    public ValueTask DisposeAsync() => _silo.DisposeAsync();
}
