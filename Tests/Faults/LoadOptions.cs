namespace Events.Tests.Faults;

/// <summary>
/// How hard the fault tests push. Each client sends a batch, waits for its answer, pauses, and sends the next.
/// The default (about 350 events/s, groups of 20 events per type) stays well below what one table's sink drains
/// (about one message per stream shard per flush interval), so a backlog built during a fault drains in seconds,
/// and a 2-core CI machine runs it next to two silos, the Api, RabbitMQ and ClickHouse.
/// </summary>
internal sealed record LoadOptions(int Clients = 6, int EventsPerBatch = 60, int PauseBetweenBatchesMs = 1000)
{
    public TimeSpan PauseBetweenBatches => TimeSpan.FromMilliseconds(PauseBetweenBatchesMs);
}
