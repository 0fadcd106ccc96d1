namespace Events.Grains;

/// <summary>
/// Stateless worker per event type (grain key = event type name). It routes a group
/// to its tables' streams and completes only when RabbitMQ confirmed every message.
/// </summary>
[Alias("events.IEventWorkerGrain")]
public interface IEventWorkerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Cancelled when the caller stops waiting (its publish timeout, or its client left): the groups that have not yet
    /// left for RabbitMQ are dropped, since nobody will be told they were stored.
    /// </summary>
    [Alias("Publish")]
    Task PublishAsync(EventGroup group, CancellationToken cancellationToken = default);
}
