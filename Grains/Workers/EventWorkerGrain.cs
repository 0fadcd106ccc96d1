using Events.Grains.Publishing;
using Events.Grains.Routing;
using Events.Grains.Tables;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace Events.Grains.Workers;

/// <summary>
/// Routes one event type's groups to their tables, and the events the front door flagged also to <c>error_event</c>
/// (<see cref="FlaggedEvents"/>). Stateless, so Orleans runs it on the calling silo; reentrant, so one activation
/// serves many callers while confirms are pending.
/// </summary>
[StatelessWorker, Reentrant]
internal sealed class EventWorkerGrain(RoutingTable routing, ITablePublisher publisher, ILogger<EventWorkerGrain> logger)
    : Grain, IEventWorkerGrain
{
    public Task PublishAsync(EventGroup group, TimeSpan waitAtMost)
    {
        var tables = routing.TablesFor(group.Source, group.EventName);
        if (tables.Count == 0)
        {
            WorkerLog.Unrouted(logger, group.Source, group.EventName, group.Events.Count);
            return Task.CompletedTask;
        }
        var flagged = FlaggedEvents.ErrorGroup(group, tables);
        if (flagged is null && tables.Count == 1)
        {
            return publisher.PublishAsync(tables[0], group, waitAtMost);
        }
        // One awaited publish for the event's tables and its error_event rows: SUCCESS covers both.
        var sends = tables.Select(table => publisher.PublishAsync(table, group, waitAtMost));
        return Task.WhenAll(flagged is null ? sends : sends.Append(publisher.PublishAsync(EventTables.ErrorEvent.Name, flagged, waitAtMost)));
    }
}
