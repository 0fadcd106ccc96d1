namespace Events.Grains;

/// <summary>
/// Stateless worker per event type (grain key = event type name). It routes a group
/// to its tables' streams and completes only when RabbitMQ confirmed every message.
/// </summary>
[Alias("events.IEventWorkerGrain")]
public interface IEventWorkerGrain : IGrainWithStringKey
{
    [Alias("Publish")]
    Task PublishAsync(EventGroup group);
}
