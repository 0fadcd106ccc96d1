using Events.Bench.References;

namespace Events.Bench.Reporting;

/// <summary>
/// The results file (Bench/results/latest.json). The headline keys come first; the phases, references and
/// machine facts behind them follow. Ratios are ours ÷ reference, in events (rows) per second.
/// </summary>
internal sealed record BenchReport
{
    public int SchemaVersion { get; init; } = 1;
    public required string RunId { get; init; }

    /// <summary>Sustained end-to-end events/s of the main (peak) phase.</summary>
    public double EventsPerSec { get; init; }
    public double? RatioVsClickhouseBulk { get; init; }
    public double? RatioVsAsyncInsert { get; init; }
    public double? RatioVsRabbitmqConfirm { get; init; }

    /// <summary>At half of the peak rate, open loop, when that phase ran; else the main phase's.</summary>
    public double? DispatchP99Ms { get; init; }
    public required string DispatchP99Phase { get; init; }

    /// <summary>Of the main (peak) phase.</summary>
    public double? FreshnessP99Ms { get; init; }
    public double AcceptedEventsPerSec { get; init; }
    public double? PeakDispatchP99Ms { get; init; }
    public double? RowsPerInsert { get; init; }
    public double? InsertsPerSecPerTable { get; init; }
    public double? EventsPerRabbitmqMessage { get; init; }
    /// <summary>The most a silo (or the Api) held in the peak or the half-rate phase.</summary>
    public double? SiloPeakRssMb { get; init; }
    public double? ApiPeakRssMb { get; init; }
    public long FailedCalls { get; init; }

    /// <summary>This run's rows deleted at the end, per table; null when kept (<c>--remove-rows off</c>).</summary>
    public IReadOnlyDictionary<string, long>? RowsRemoved { get; init; }

    public DateTime StartedAtUtc { get; init; }
    public DateTime FinishedAtUtc { get; init; }
    public string? GitCommit { get; init; }
    public bool? GitDirty { get; init; }
    public required IReadOnlyDictionary<string, object?> Machine { get; init; }
    public required IReadOnlyDictionary<string, object?> Options { get; init; }
    public IReadOnlyList<TargetCheck> Targets { get; init; } = [];
    public IReadOnlyList<PhaseResult> Phases { get; init; } = [];
    public IReadOnlyDictionary<string, ReferenceResult> References { get; init; } = new Dictionary<string, ReferenceResult>();
}
