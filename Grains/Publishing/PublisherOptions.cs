namespace Events.Grains.Publishing;

/// <summary>How groups are coalesced into stream messages (<c>Events:Publisher</c>).</summary>
public sealed class PublisherOptions
{
    public const string Section = "Events:Publisher";

    /// <summary>
    /// Streams per table. Orleans delivers one message per stream at a time and a delivery waits for its flush, so a
    /// message whose stream is busy waits for the previous delivery's insert first. Default 512: at ~700 messages a
    /// second a stream then gets one about every 0.7 s, longer than a sink's cycle (BENCHMARKS.md, "More streams per
    /// table"); more streams cost memory.
    /// </summary>
    public int ShardsPerTable { get; set; } = 512;

    /// <summary>
    /// Messages being confirmed at once per table on one silo. Beyond the first, one starts only while a full message
    /// (<see cref="MaxEventsPerMessage"/>) waits or the oldest confirm is slow (<see cref="SlowConfirm"/>), so messages
    /// stay big at moderate load. Default 4.
    /// </summary>
    public int MaxInFlightPerTable { get; set; } = 4;

    /// <summary>
    /// After a table's message is confirmed, the next one waits to fill up to <see cref="LingerUntilEvents"/> events
    /// until its first group has waited this long. A group arriving at an idle lane leaves at once. Without it, messages
    /// below peak carried 64-176 events, and the broker's CPU goes by messages more than by bytes (BENCHMARKS.md,
    /// "Lingering for bigger messages"). Default 5 ms; 0 turns it off.
    /// </summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Events a message needs to leave before <see cref="Linger"/> has passed. Default 500.</summary>
    public int LingerUntilEvents { get; set; } = 500;

    /// <summary>
    /// Once a table's message has waited this long for RabbitMQ's confirm, the groups waiting behind it leave in
    /// another message (up to <see cref="MaxInFlightPerTable"/>), so a slow confirm holds up only its own groups.
    /// Below peak a confirm takes a few milliseconds, and one in a hundred 30-75 ms (BENCHMARKS.md, "Not waiting
    /// behind a slow confirm"). Default 20 ms; 0 turns it off.
    /// </summary>
    public TimeSpan SlowConfirm { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Upper bound on events in one message, to keep messages a few MB at most. Default 5000.</summary>
    public int MaxEventsPerMessage { get; set; } = 5000;
}
