using Events.Grains.Publishing;
using Events.Grains.Routing;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Events.Grains.Workers;

/// <summary>
/// Routes one event type's groups to their tables. Stateless, so Orleans runs it on the
/// calling silo; reentrant, so one activation serves many callers while confirms are pending.
/// </summary>
[StatelessWorker, Reentrant]
internal sealed class EventWorkerGrain(RoutingTable routing, ITablePublisher publisher, ILogger<EventWorkerGrain> logger)
    : Grain, IEventWorkerGrain
{
    public Task PublishAsync(EventGroup group)
    {
        var tables = routing.TablesFor(group.Source, group.EventName);
        if (tables.Count == 0)
        {
            WorkerLog.Unrouted(logger, group.Source, group.EventName, group.Events.Count);
            return Task.CompletedTask;
        }
        return tables.Count == 1
            ? publisher.PublishAsync(tables[0], group)
            : Task.WhenAll(tables.Select(table => publisher.PublishAsync(table, group)));
    }
}
