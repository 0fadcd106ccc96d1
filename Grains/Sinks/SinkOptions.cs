namespace Events.Grains.Sinks;

/// <summary>When a table's sink writes to ClickHouse (<c>Events:Sink</c>).</summary>
public sealed class SinkOptions
{
    public const string Section = "Events:Sink";

    /// <summary>
    /// Flush as soon as this many rows wait. ClickHouse wants thousands of rows per insert and about one insert
    /// per second per table, so below this rate per table the timer decides: one insert per interval. Default 100,000.
    /// </summary>
    public int MaxRows { get; set; } = 100_000;

    /// <summary>
    /// Flush what waits once this long has passed since the last flush, whatever its count; if an insert is still
    /// running then, at the sink timer's first tick after it ends (it ticks five times an interval): one insert at a
    /// time per table. Default 0.5 s: at most two inserts a second per table, and rows queryable within about 2 s
    /// (BENCHMARKS.md).
    /// </summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Messages of one stream handed to the sink in one delivery (Orleans' <c>BatchContainerBatchSize</c>).
    /// A stream has one delivery in flight and a delivery waits for its flush, so without this a sink drains
    /// one message per stream per flush and falls behind whenever messages are small. Default 32.
    /// </summary>
    public int MessagesPerDelivery { get; set; } = 32;

    /// <summary>
    /// A row its table refuses is tried alone this many more times before it is dead-lettered (the original
    /// service's limit was two). Transient errors are not counted: they are retried without limit.
    /// </summary>
    public int MaxRejectedRetries { get; set; } = 2;

    /// <summary>Wait before the n-th retry of a refused row: n times this. Default 200 ms.</summary>
    public TimeSpan RejectedRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);
}
