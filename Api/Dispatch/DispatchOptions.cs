namespace Events.Api.Dispatch;

/// <summary>How long a dispatch may wait for RabbitMQ's confirms, and how much may wait at once (<c>Events:Dispatch</c>).</summary>
public sealed class DispatchOptions
{
    public const string Section = "Events:Dispatch";

    /// <summary>
    /// Past this the client gets UNAVAILABLE and retries; the batch may still be stored,
    /// and the retry's duplicates collapse on event id. Default 1 s, as the original.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Events this Api has handed to the silos and not yet heard back about. A batch that would pass it is refused at
    /// once (RESOURCE_EXHAUSTED, webhooks 429), so an overload costs the batches over capacity, not every batch's
    /// timeout. At least <c>Events:Limits:MaxEventsPerBatch</c>. Default 20,000: a third of a second of what a
    /// two-core machine stores at peak, and more than 0.7 s of its half-rate load, whose broker stalls stay shorter.
    /// </summary>
    public int MaxEventsInFlight { get; set; } = 20_000;
}
