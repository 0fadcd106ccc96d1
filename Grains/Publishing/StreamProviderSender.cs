using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Streams;

namespace Events.Grains.Publishing;

/// <summary>Sends through the silo's persistent stream provider (RabbitMQ, with publisher confirms), timing each send.</summary>
internal sealed class StreamProviderSender(IServiceProvider services, PublishMetrics metrics) : ISinkStreamSender
{
    private readonly Lazy<IStreamProvider> _provider =
        new(() => services.GetRequiredKeyedService<IStreamProvider>(SinkStreams.ProviderName));

    public async Task SendAsync(StreamId stream, SinkBatch batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _provider.Value.GetStream<SinkBatch>(stream).OnNextAsync(batch);
        }
        catch (Exception ex)
        {
            metrics.Failed(batch.Table, ex, Stopwatch.GetElapsedTime(started));
            throw;
        }
        metrics.Published(batch.Table, batch.EventCount, Stopwatch.GetElapsedTime(started));
    }
}
