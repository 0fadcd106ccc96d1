using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// The provider's broker connections, one singleton per provider name so the host disposes them at shutdown.
/// Publishing and consuming use separate connections: when the broker throttles publishers (memory or disk alarm)
/// it blocks their connection, and consumers must keep draining queues meanwhile.
/// </summary>
internal sealed class RabbitMqClient : IAsyncDisposable
{
    public RabbitMqClient(string providerName, RabbitMqStreamOptions options, ILoggerFactory loggerFactory, IMeterFactory? meters = null)
    {
        var logger = loggerFactory.CreateLogger<RabbitMqConnector>();
        var host = Environment.MachineName;
        var metrics = new RabbitMqStreamMetrics(meters, providerName, () => Backlog!.Ready);
        PublishConnector = new RabbitMqConnector(options, $"{providerName}-publish@{host}", logger, metrics, "publish");
        ConsumeConnector = new RabbitMqConnector(options, $"{providerName}-consume@{host}", logger, metrics, "consume");
        Publisher = new RabbitMqPublisher(options, PublishConnector);
        // Counting on the consume connection: a publisher throttled by the broker must not stall the counts.
        Backlog = new RabbitMqBacklogMonitor(options, ConsumeConnector, loggerFactory.CreateLogger<RabbitMqBacklogMonitor>());
    }

    public RabbitMqConnector PublishConnector { get; }
    public RabbitMqConnector ConsumeConnector { get; }
    public RabbitMqPublisher Publisher { get; }
    public RabbitMqBacklogMonitor Backlog { get; }

    public async ValueTask DisposeAsync()
    {
        await Backlog.DisposeAsync();
        await Publisher.DisposeAsync();
        await PublishConnector.DisposeAsync();
        await ConsumeConnector.DisposeAsync();
    }
}
