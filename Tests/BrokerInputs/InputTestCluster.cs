using System.Text;
using Events.Streaming.RabbitMQ;
using Events.Tests.Infrastructure;
using Events.Tests.Streaming;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Streams;
using Orleans.TestingHost;
using RabbitMQ.Client;

namespace Events.Tests.BrokerInputs;

/// <summary>
/// An in-process silo whose RabbitMQ stream provider reads one input queue of a test's own, bound to an exchange of
/// its own, into <see cref="InputProbeGrain"/> (stream key <see cref="Key"/>). Removes what it declared when disposed.
/// </summary>
internal sealed class InputTestCluster : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _prefix = $"t-input-{Guid.NewGuid():N}"[..24];
    private readonly QueueReadLog _reads = new();
    private InProcessTestCluster? _cluster;

    public string Prefix => _prefix;
    public string Exchange => $"{_prefix}.exchange";
    public string Queue => $"{_prefix}.input";
    public string Key => $"{_prefix}-key";
    public string DeadLetters => RabbitMqQueues.DeadLetterQueue(_prefix);

    public async Task StartAsync(Action<RabbitMqInputOptions>? configureInput = null, Action<RabbitMqStreamOptions>? configureOptions = null)
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

    public Task WaitForItemsAsync(int count) => Eventually.Until(() => Task.FromResult(InputProbe.ReceivedBy(Key)),
        items => items.Count >= count, Patience, items => $"received {items.Count} of {count} items");

    // The agent acks on a later pump tick than the delivery; stopping first would hand the messages back to the queue.
    public async Task StopAfterAcksAsync()
    {
        await Eventually.Until(() => Task.FromResult(_reads.Unreported()), count => count == 0, Patience,
            count => $"the agent has not reported {count} delivered batches");
        await StopAsync();
    }

    public async Task DeclareExchangeAsync(string type, bool durable)
    {
        await using var connection = await new ConnectionFactory { Port = LocalServices.RabbitMqPort }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(Exchange, type, durable, autoDelete: false);
    }

    // As the receiver declares it, so that it can be filled before the silo starts.
    public async Task DeclareInputQueueAsync(string routingKey)
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

    public async Task PublishUnroutedAsync(string routingKey, string body)
    {
        await using var connection = await new ConnectionFactory { Port = LocalServices.RabbitMqPort }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.BasicPublishAsync(Exchange, routingKey, Encoding.UTF8.GetBytes(body));
    }

    public async Task StopAsync()
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
