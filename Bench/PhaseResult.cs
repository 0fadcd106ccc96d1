using Events.Bench.Measure;

namespace Events.Bench;

/// <summary>Everything measured in one load phase. Rates are over the measured window (warm-up excluded).</summary>
internal sealed record PhaseResult
{
    public required string Name { get; init; }
    public required string Mode { get; init; }
    public double? TargetEventsPerSec { get; init; }
    public int Clients { get; init; }
    public int EventsPerDispatch { get; init; }
    public double MeasuredSeconds { get; init; }

    /// <summary>
    /// Sustained end to end: events accepted in the window ÷ (window + time until every accepted event was
    /// queryable). Equals the accepted rate when the sinks keep up, and tends to the rate rows reach ClickHouse when not.
    /// </summary>
    public double EventsPerSec { get; init; }
    public double AcceptedEventsPerSec { get; init; }
    public long AcceptedEvents { get; init; }
    public long AcceptedEventsWithWarmup { get; init; }
    public double CallsPerSec { get; init; }
    public IReadOnlyDictionary<string, long> Outcomes { get; init; } = new Dictionary<string, long>();
    public long FailedCalls { get; init; }
    public required Percentiles DispatchLatencyMs { get; init; }

    /// <summary>Open loop: how late the benchmark sent after the intended times, part of <see cref="DispatchLatencyMs"/>; null in closed loop.</summary>
    public Percentiles? SenderLatenessMs { get; init; }
    public bool Drained { get; init; }
    public double? DrainLagSeconds { get; init; }
    public long RowsStored { get; init; }

    /// <summary>Events earlier phases accepted that were not queryable yet when this one started (their drain timed out).</summary>
    public long UndrainedAtStart { get; init; }
    public required FreshnessResult Freshness { get; init; }
    public IReadOnlyDictionary<string, TableInsertFigures> TableInserts { get; init; } = new Dictionary<string, TableInsertFigures>();
    public IReadOnlyDictionary<string, long> ClickhouseServerCounters { get; init; } = new Dictionary<string, long>();
    public double? EventsPerRabbitmqMessage { get; init; }
    public long? RabbitmqMessagesPublished { get; init; }
    public double? RabbitmqMessageBytes { get; init; }
    public long? RabbitmqPeakBacklogMessages { get; init; }
    public string? RabbitmqError { get; init; }
    public IReadOnlyDictionary<string, ProcessFigures> Processes { get; init; } = new Dictionary<string, ProcessFigures>();

    /// <summary>The silos' GC pauses in the window (from their <c>/metrics</c>); null when no silo answered.</summary>
    public GcFigures? SiloGc { get; init; }

    /// <summary>The probed table's lag from the front door to its sink and to storage (the silos' histogram); null when no silo answered.</summary>
    public LagFigures? SiloLag { get; init; }
}
