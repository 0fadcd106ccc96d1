namespace Events.Grains.Publishing;

/// <summary>Puts event groups on a table's streams; the task completes once RabbitMQ confirmed them.</summary>
public interface ITablePublisher
{
    /// <summary>
    /// A group still waiting for its message when <paramref name="cancellationToken"/> is cancelled is dropped and its
    /// task cancelled; once it has left for RabbitMQ it is published whatever happens.
    /// </summary>
    Task PublishAsync(string table, EventGroup group, CancellationToken cancellationToken);
}
