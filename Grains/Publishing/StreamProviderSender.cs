using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;

namespace Events.Grains.Publishing;

/// <summary>Sends through the silo's persistent stream provider (RabbitMQ, with publisher confirms).</summary>
internal sealed class StreamProviderSender(IServiceProvider services) : ISinkStreamSender
{
    private readonly Lazy<IStreamProvider> _provider =
        new(() => services.GetRequiredKeyedService<IStreamProvider>(SinkStreams.ProviderName));

    public Task SendAsync(StreamId stream, SinkBatch batch) =>
        _provider.Value.GetStream<SinkBatch>(stream).OnNextAsync(batch);
}
