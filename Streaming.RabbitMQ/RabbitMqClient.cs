using Microsoft.Extensions.Logging;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// The provider's broker connections, one singleton per provider name so the host disposes them at shutdown.
/// Publishing and consuming use separate connections: when the broker throttles publishers (memory or disk alarm)
/// it blocks their connection, and consumers must keep draining queues meanwhile.
/// </summary>
internal sealed class RabbitMqClient : IAsyncDisposable
{
    public RabbitMqClient(string providerName, RabbitMqStreamOptions options, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger<RabbitMqConnector>();
        var host = Environment.MachineName;
        PublishConnector = new RabbitMqConnector(options, $"{providerName}-publish@{host}", logger);
        ConsumeConnector = new RabbitMqConnector(options, $"{providerName}-consume@{host}", logger);
        Publisher = new RabbitMqPublisher(options, PublishConnector);
    }

    public RabbitMqConnector PublishConnector { get; }
    public RabbitMqConnector ConsumeConnector { get; }
    public RabbitMqPublisher Publisher { get; }

    public async ValueTask DisposeAsync()
    {
        await Publisher.DisposeAsync();
        await PublishConnector.DisposeAsync();
        await ConsumeConnector.DisposeAsync();
    }
}
