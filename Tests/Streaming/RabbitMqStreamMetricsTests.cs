using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Events.Streaming.RabbitMQ;
using Events.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;

namespace Events.Tests.Streaming;

/// <summary>The provider's broker metrics against the real broker: queue backlog and reconnects.</summary>
public sealed class RabbitMqStreamMetricsTests : IAsyncLifetime
{
    private static readonly int ManagementPort =
        int.TryParse(Environment.GetEnvironmentVariable("EVENTS_RABBITMQ_MANAGEMENT_PORT"), out var port) ? port : 15672;

    private readonly OwnStreamQueues _queues = new("metrics");

    public ValueTask InitializeAsync() => OwnStreamQueues.RequireBrokerAsync();

    [Fact]
    public async Task BacklogMonitor_CountsTheMessagesReadyInAWatchedQueue_UntilUnwatched()
    {
        var queue = _queues.Queue;
        await DeclareWithMessagesAsync(queue, 3);
        await using var connector = new RabbitMqConnector(_queues.Options, $"{_queues.Prefix}-backlog", NullLogger.Instance);
        await using var monitor = new RabbitMqBacklogMonitor(_queues.Options, connector, NullLogger.Instance);

        monitor.Watch(queue);
        await monitor.CheckAsync(TestContext.Current.CancellationToken);
        Assert.Equal([KeyValuePair.Create(queue, 3L)], monitor.Ready);

        await RabbitMqQueues.PublishRawAsync(queue, [1]);
        await monitor.CheckAsync(TestContext.Current.CancellationToken);
        Assert.Equal([KeyValuePair.Create(queue, 4L)], monitor.Ready);

        monitor.Unwatch(queue);
        Assert.Empty(monitor.Ready);
    }

    [Fact]
    public async Task Connector_WhenTheBrokerClosesItsConnection_CountsOneReconnect()
    {
        var clientName = $"{_queues.Prefix}-reconnect";
        var reconnects = new List<(long Value, string? Connection)>();
        var meters = TestMeters.Factory();
        using var listener = Listen(meters, "events.rabbitmq.reconnects", reconnects);
        var metrics = new RabbitMqStreamMetrics(meters, "test", () => []);
        await using var connector = new RabbitMqConnector(_queues.Options, clientName, NullLogger.Instance, metrics, "consume");

        await using (await connector.CreateChannelAsync(null, TestContext.Current.CancellationToken)) { }
        Assert.Empty(reconnects);

        await CloseConnectionAsync(clientName);
        await Eventually.Until(async () =>
        {
            try
            {
                await using var channel = await connector.CreateChannelAsync(null, TestContext.Current.CancellationToken);
                return true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return false; // the closed connection noticed late, or the next attempt is not due yet
            }
        }, opened => opened && reconnects.Count > 0, TimeSpan.FromSeconds(30), _ => $"{reconnects.Count} reconnects counted");

        Assert.Equal([(1L, "consume")], reconnects);
    }

    private static MeterListener Listen(IMeterFactory meters, string instrument, List<(long, string?)> into)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (i, l) =>
            {
                if (i.Meter.Scope == meters && i.Name == instrument) l.EnableMeasurementEvents(i);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? connection = null;
            foreach (var tag in tags) if (tag.Key == "connection") connection = tag.Value as string;
            lock (into) into.Add((value, connection));
        });
        listener.Start();
        return listener;
    }

    private static async Task DeclareWithMessagesAsync(string queue, int count)
    {
        var factory = new ConnectionFactory { HostName = LocalServices.Host, Port = LocalServices.RabbitMqPort };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        for (var i = 0; i < count; i++) await channel.BasicPublishAsync("", queue, new byte[] { 1 });
    }

    /// <summary>Has the broker close our connection (named <paramref name="clientName"/>), as a broker restart would.</summary>
    private static async Task CloseConnectionAsync(string clientName)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{LocalServices.Host}:{ManagementPort}/api/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("guest:guest")));
        // The management plugin lists a new connection after its next statistics round (a few seconds).
        var name = await Eventually.Until(async () =>
        {
            using var connections = JsonDocument.Parse(await http.GetStringAsync("connections"));
            return connections.RootElement.EnumerateArray()
                .Where(c => c.TryGetProperty("client_properties", out var p) && p.TryGetProperty("connection_name", out var n) && n.GetString() == clientName)
                .Select(c => c.GetProperty("name").GetString())
                .FirstOrDefault();
        }, found => found is not null, TimeSpan.FromSeconds(30), _ => $"connection {clientName} not listed by the management API");
        using var closed = await http.DeleteAsync("connections/" + Uri.EscapeDataString(name!));
        Assert.True(closed.IsSuccessStatusCode, $"closing {name}: {(int)closed.StatusCode}");
    }

    public ValueTask DisposeAsync() => _queues.DisposeAsync();
}
