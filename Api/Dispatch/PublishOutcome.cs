namespace Events.Api.Dispatch;

/// <summary>How a client's groups fared (<see cref="GroupPublisher"/>); each door answers it in its own protocol.</summary>
internal enum PublishOutcome
{
    /// <summary>RabbitMQ confirmed every group: the client may be told they are stored.</summary>
    Stored,

    /// <summary>Nothing was sent: the Api already waits for as many events as it admits.</summary>
    AtCapacity,

    /// <summary>Not every group was confirmed within the publish timeout.</summary>
    TimedOut,

    /// <summary>A group could not be published (logged with the error).</summary>
    Failed,
}
