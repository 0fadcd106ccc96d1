using System.Diagnostics.Metrics;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// The provider's broker health (meter <c>Events.Streaming.RabbitMQ</c>): connections reopened after a drop, failed
/// connection attempts, and messages ready in the queues this silo consumes. Without a meter factory (tests that
/// build parts by hand) nothing is recorded.
/// </summary>
internal sealed class RabbitMqStreamMetrics
{
    public const string MeterName = "Events.Streaming.RabbitMQ";

    private readonly string _provider;
    private readonly Counter<long>? _reconnects;
    private readonly Counter<long>? _connectFailures;

    public RabbitMqStreamMetrics(IMeterFactory? meters, string provider, Func<IEnumerable<KeyValuePair<string, long>>> backlog)
    {
        _provider = provider;
        if (meters is null) return;
        // One meter per provider: the backlog gauge's callback belongs to this provider's queues.
        var meter = meters.Create(new MeterOptions(MeterName) { Tags = [new("provider", provider)] });
        _reconnects = meter.CreateCounter<long>("events.rabbitmq.reconnects", "{connection}",
            "Broker connections opened again after the previous one dropped, per provider and connection (publish, consume).");
        _connectFailures = meter.CreateCounter<long>("events.rabbitmq.connect_failures", "{attempt}",
            "Failed attempts to connect to the broker, per provider and connection (publish, consume).");
        meter.CreateObservableGauge("events.rabbitmq.queue.messages_ready",
            () => backlog().Select(queue => new Measurement<long>(queue.Value, [new("provider", provider), new("queue", queue.Key)])),
            "{message}", "Messages ready (not yet delivered) in each queue this silo consumes, as of the last check.");
    }

    public void Reconnected(string connection) => _reconnects?.Add(1, [new("provider", _provider), new("connection", connection)]);

    public void ConnectFailed(string connection) => _connectFailures?.Add(1, [new("provider", _provider), new("connection", connection)]);
}
