namespace Events.Grains.Publishing;

/// <summary>How groups are coalesced into stream messages (<c>Events:Publisher</c>).</summary>
public sealed class PublisherOptions
{
    public const string Section = "Events:Publisher";

    /// <summary>
    /// Streams per table. Orleans delivers one message per stream at a time and a delivery waits for its flush,
    /// so a sink drains at most this many messages per flush interval. Default 256 (BENCHMARKS.md).
    /// </summary>
    public int ShardsPerTable { get; set; } = 256;

    /// <summary>
    /// Messages being confirmed at once per table on one silo. Beyond the first, one starts only while a full message
    /// (<see cref="MaxEventsPerMessage"/>) waits, so messages stay big at moderate load. Default 4.
    /// </summary>
    public int MaxInFlightPerTable { get; set; } = 4;

    /// <summary>Upper bound on events in one message, to keep messages a few MB at most. Default 5000.</summary>
    public int MaxEventsPerMessage { get; set; } = 5000;
}
