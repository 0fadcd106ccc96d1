namespace Events.Grains.Publishing;

/// <summary>Puts event groups on a table's streams; the task completes once RabbitMQ confirmed them.</summary>
public interface ITablePublisher
{
    Task PublishAsync(string table, EventGroup group);
}
