namespace Events.Api.Dispatch;

/// <summary>How long a dispatch may wait for RabbitMQ's confirms (<c>Events:Dispatch</c>).</summary>
public sealed class DispatchOptions
{
    public const string Section = "Events:Dispatch";

    /// <summary>
    /// Past this the client gets UNAVAILABLE and retries; the batch may still be stored,
    /// and the retry's duplicates collapse on event id. Default 1 s, as the original.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
