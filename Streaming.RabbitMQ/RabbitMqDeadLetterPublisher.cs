namespace Events.Streaming.RabbitMQ;

/// <summary>
/// Lets the application put a message it cannot process into the provider's dead-letter queue
/// (<see cref="RabbitMqStreamOptions.DeadLetterName"/>), next to the messages the broker dead-lettered.
/// Resolve it as a keyed service under the stream provider's name. Completes once the broker confirmed it.
/// </summary>
public sealed class RabbitMqDeadLetterPublisher
{
    private readonly RabbitMqPublisher _publisher;

    internal RabbitMqDeadLetterPublisher(RabbitMqPublisher publisher) => _publisher = publisher;

    public Task PublishAsync(ReadOnlyMemory<byte> body, string contentType, IDictionary<string, object?> headers,
        CancellationToken cancellationToken = default) =>
        _publisher.PublishDeadLetterAsync(body, contentType, headers, cancellationToken);
}
