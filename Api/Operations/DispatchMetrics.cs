using Prometheus;

namespace Events.Api.Operations;

/// <summary>What the front door accepted and refused, and how long stores took; scraped at <c>/metrics</c>.</summary>
internal static class DispatchMetrics
{
    private static readonly Counter Accepted = Metrics.CreateCounter("events_accepted_total",
        "Events stored (confirmed by RabbitMQ), per source and event type.", "source", "type");

    private static readonly Counter Refused = Metrics.CreateCounter("events_refused_total",
        "Events refused, per source, event type and reason (invalid, unavailable, ...).", "source", "type", "reason");

    private static readonly Histogram Duration = Metrics.CreateHistogram("events_dispatch_duration_seconds",
        "Time from receiving a batch to answering it, per source and outcome.",
        new HistogramConfiguration
        {
            LabelNames = ["source", "outcome"],
            Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
        });

    private static readonly Gauge InFlight = Metrics.CreateGauge("events_dispatch_events_in_flight",
        "Events handed to the silos and not yet answered (limit: Events:Dispatch:MaxEventsInFlight).");

    /// <summary>Sets the in-flight gauge from <paramref name="inFlight"/> at every scrape.</summary>
    public static void ObserveInFlight(Func<long> inFlight) => Metrics.DefaultRegistry.AddBeforeCollectCallback(() => InFlight.Set(inFlight()));

    public static void CountAccepted(string source, string type, int events) => Accepted.WithLabels(source, type).Inc(events);

    public static void CountRefused(string source, string type, string reason, int events) =>
        Refused.WithLabels(source, type, reason).Inc(events);

    public static void Observe(string source, string outcome, TimeSpan elapsed) =>
        Duration.WithLabels(source, outcome).Observe(elapsed.TotalSeconds);
}
