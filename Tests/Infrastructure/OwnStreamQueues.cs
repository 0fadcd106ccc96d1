using Events.Streaming.RabbitMQ;
using Microsoft.Extensions.Logging.Abstractions;

namespace Events.Tests.Infrastructure;

/// <summary>
/// A test's own stream queue on the real broker: options under a prefix no other test uses, a connector, and the
/// queues (the dead-letter queue too) deleted when the test ends.
/// </summary>
internal sealed class OwnStreamQueues : IAsyncDisposable
{
    public OwnStreamQueues(string kind)
    {
        Prefix = $"t-{kind}-{Guid.NewGuid():N}"[..24];
        Options = new RabbitMqStreamOptions { Port = LocalServices.RabbitMqPort, QueueNamePrefix = Prefix, QueueCount = 1 };
        Connector = new RabbitMqConnector(Options, $"{Prefix}-test", NullLogger.Instance);
    }

    public string Prefix { get; }

    public RabbitMqStreamOptions Options { get; }

    public RabbitMqConnector Connector { get; }

    /// <summary>The one stream queue.</summary>
    public string Queue => Options.QueueName(0);

    public static ValueTask RequireBrokerAsync() => new(LocalServices.RequireAsync("RabbitMQ", LocalServices.RabbitMqPort));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Connector.DisposeAsync();
        }
        finally
        {
            await RabbitMqQueues.DeleteAsync(Prefix, Options.QueueCount);
        }
    }
}
