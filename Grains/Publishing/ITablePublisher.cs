namespace Events.Grains.Publishing;

/// <summary>Puts event groups on a table's streams; the task completes once RabbitMQ confirmed them.</summary>
public interface ITablePublisher
{
    /// <summary>
    /// A group still waiting for its message <paramref name="waitAtMost"/> after it came is dropped, and its task fails
    /// with a <see cref="TimeoutException"/>; once it has left for RabbitMQ it is published whatever happens.
    /// </summary>
    Task PublishAsync(string table, EventGroup group, TimeSpan waitAtMost);
}
