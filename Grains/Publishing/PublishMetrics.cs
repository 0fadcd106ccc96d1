using System.Diagnostics.Metrics;

namespace Events.Grains.Publishing;

/// <summary>
/// Stream messages sent to the sinks (meter <c>Events.Publishing</c>): time until RabbitMQ confirmed them, failures,
/// and events dropped unsent because their caller stopped waiting.
/// </summary>
public sealed class PublishMetrics
{
    public const string MeterName = "Events.Publishing";

    // A confirm takes a few ms; PublishConfirmTimeout (5 s) is the ceiling.
    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _events;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _dropped;

    public PublishMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _duration = meter.CreateHistogram("events.stream.publish.duration", "s",
            "Time to publish one stream message and get RabbitMQ's confirm, per table and outcome (ok, failed).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _events = meter.CreateCounter<long>("events.stream.published_events", "{event}", "Events in confirmed stream messages, per table.");
        _failures = meter.CreateCounter<long>("events.stream.publish.failures", "{message}",
            "Stream messages not confirmed, per table and error (timeout, io, other).");
        _dropped = meter.CreateCounter<long>("events.stream.dropped_events", "{event}",
            "Events dropped before publishing because their caller stopped waiting (answered UNAVAILABLE, or gone), per table.");
    }

    public void Dropped(string table, int events) => _dropped.Add(events, new KeyValuePair<string, object?>("table", table));

    public void Published(string table, int events, TimeSpan elapsed)
    {
        _events.Add(events, new KeyValuePair<string, object?>("table", table));
        _duration.Record(elapsed.TotalSeconds, [new("table", table), new("outcome", "ok")]);
    }

    public void Failed(string table, Exception error, TimeSpan elapsed)
    {
        var kind = error switch
        {
            TimeoutException => "timeout",
            IOException => "io",
            _ => "other",
        };
        _failures.Add(1, [new("table", table), new("error", kind)]);
        _duration.Record(elapsed.TotalSeconds, [new("table", table), new("outcome", "failed")]);
    }
}
