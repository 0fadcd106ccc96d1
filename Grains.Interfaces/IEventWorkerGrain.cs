namespace Events.Grains;

/// <summary>
/// Stateless worker per event type (grain key = event type name). It routes a group
/// to its tables' streams and completes only when RabbitMQ confirmed every message.
/// </summary>
[Alias("events.IEventWorkerGrain")]
public interface IEventWorkerGrain : IGrainWithStringKey
{
    /// <summary>
    /// The caller waits at most <paramref name="waitAtMost"/> (its publish timeout): a group that has not left for
    /// RabbitMQ that long after it reached the silo is dropped, since nobody will be told it was stored.
    /// </summary>
    [Alias("PublishWithin")]
    Task PublishAsync(EventGroup group, TimeSpan waitAtMost);
}
