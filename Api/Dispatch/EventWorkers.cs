using System.Collections.Concurrent;
using Events.Grains;

namespace Events.Api.Dispatch;

/// <summary>
/// The worker grain of each event type, made once: <see cref="IGrainFactory"/> resolves the grain type by reflection
/// on every <c>GetGrain</c> (~4% of the Api's CPU at peak, perf). The keys are a fixed set (the protobuf types,
/// <see cref="EventGrouper.UnknownEventName"/> and the webhook providers' names), so the map stays small.
/// </summary>
public sealed class EventWorkers(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, IEventWorkerGrain> _byType = new(StringComparer.Ordinal);

    public IEventWorkerGrain For(string eventType) =>
        _byType.GetOrAdd(eventType, static (type, factory) => factory.GetGrain<IEventWorkerGrain>(type), grains);
}
