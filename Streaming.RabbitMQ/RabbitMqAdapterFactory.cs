using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;
using Orleans.Streams;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// Builds the RabbitMQ adapter, the queue mapper (own queues and input queues) and the per-queue cache for one
/// stream provider. Input decoders are resolved when a receiver for their queue is created.
/// </summary>
internal sealed class RabbitMqAdapterFactory : IQueueAdapterFactory
{
    private readonly string _name;
    private readonly RabbitMqStreamOptions _options;
    private readonly RabbitMqClient _client;
    private readonly Serializer<RabbitMqBatchContainer> _serializer;
    private readonly ILoggerFactory _loggerFactory;
    private readonly Func<string, IRabbitMqMessageDecoder> _decoders;
    private readonly RabbitMqQueueMapper _mapper;
    private readonly SimpleQueueAdapterCache _cache;

    private RabbitMqAdapterFactory(string name, RabbitMqStreamOptions options, RabbitMqClient client,
        Serializer<RabbitMqBatchContainer> serializer, ILoggerFactory loggerFactory, Func<string, IRabbitMqMessageDecoder> decoders)
    {
        _name = name;
        _options = options;
        _client = client;
        _serializer = serializer;
        _loggerFactory = loggerFactory;
        _decoders = decoders;
        _mapper = new RabbitMqQueueMapper(options, name);
        _cache = new SimpleQueueAdapterCache(new SimpleQueueCacheOptions { CacheSize = options.CacheSize }, name, loggerFactory);
    }

    public static IQueueAdapterFactory Create(IServiceProvider services, string name) => new RabbitMqAdapterFactory(
        name,
        services.GetOptionsByName<RabbitMqStreamOptions>(name),
        services.GetRequiredKeyedService<RabbitMqClient>(name),
        services.GetRequiredService<Serializer<RabbitMqBatchContainer>>(),
        services.GetRequiredService<ILoggerFactory>(),
        decoder => services.GetRequiredKeyedService<IRabbitMqMessageDecoder>(decoder));

    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);

    public Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) =>
        Task.FromResult<IQueueAdapter>(new RabbitMqAdapter(_name, _options, _mapper, _serializer, _client, _decoders, _loggerFactory));

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _mapper;

    // A delivery that keeps failing is left unacknowledged; the receiver returns it to the queue.
    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler());
}
