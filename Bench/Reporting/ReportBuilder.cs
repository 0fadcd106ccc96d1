using System.Diagnostics;
using Events.Bench.References;

namespace Events.Bench.Reporting;

/// <summary>Derives the headline figures, ratios and target checks from the phases and references of a run.</summary>
internal static class ReportBuilder
{
    public static BenchReport Build(string runId, BenchOptions options, DateTime started, IReadOnlyDictionary<string, object?> machine,
        PhaseResult main, PhaseResult? halfRate, IReadOnlyDictionary<string, ReferenceResult> references)
    {
        var dispatch = halfRate ?? main;
        var table = main.TableInserts.GetValueOrDefault(options.Table);
        var (commit, dirty) = Git();
        var report = new BenchReport
        {
            RunId = runId,
            EventsPerSec = main.EventsPerSec,
            RatioVsClickhouseBulk = Ratio(main.EventsPerSec, references.GetValueOrDefault(ClickHouseBulkReference.Name)),
            RatioVsAsyncInsert = Ratio(main.EventsPerSec, references.GetValueOrDefault(AsyncInsertReference.Name)),
            RatioVsRabbitmqConfirm = Ratio(main.EventsPerSec, references.GetValueOrDefault(RabbitMqConfirmReference.Name)),
            DispatchP99Ms = dispatch.DispatchLatencyMs.P99,
            DispatchP99Phase = dispatch.Name,
            FreshnessP99Ms = main.Freshness.Ms.P99,
            AcceptedEventsPerSec = main.AcceptedEventsPerSec,
            PeakDispatchP99Ms = main.DispatchLatencyMs.P99,
            RowsPerInsert = table?.RowsPerInsert,
            InsertsPerSecPerTable = table?.InsertsPerSec,
            EventsPerRabbitmqMessage = main.EventsPerRabbitmqMessage,
            SiloPeakRssMb = PeakRssMb(main, halfRate, name => name.StartsWith("silo", StringComparison.Ordinal)),
            ApiPeakRssMb = PeakRssMb(main, halfRate, name => name == "api"),
            FailedCalls = main.FailedCalls + (halfRate?.FailedCalls ?? 0),
            StartedAtUtc = started,
            FinishedAtUtc = DateTime.UtcNow,
            GitCommit = commit,
            GitDirty = dirty,
            Machine = machine,
            Options = Describe(options),
            Phases = halfRate is null ? [main] : [main, halfRate],
            References = references,
        };
        return report with { Targets = Targets(report, main) };
    }

    private static List<TargetCheck> Targets(BenchReport r, PhaseResult main) =>
    [
        TargetCheck.AtLeast("sustained end-to-end events/s", r.EventsPerSec, 100_000),
        TargetCheck.AtLeast("ours / raw ClickHouse bulk", r.RatioVsClickhouseBulk, 0.4, "0.0"),
        TargetCheck.AtLeast("ours / direct async insert", r.RatioVsAsyncInsert, 3, "0"),
        TargetCheck.AtMost($"dispatch p99 ms ({r.DispatchP99Phase})", r.DispatchP99Ms, 20),
        TargetCheck.AtMost("freshness p99 ms (peak)", r.FreshnessP99Ms, 2000),
        TargetCheck.AtLeast("rows per insert (peak)", r.RowsPerInsert, 10_000),
        TargetCheck.AtMost("inserts/s per table (peak)", r.InsertsPerSecPerTable, 2, "0"),
        TargetCheck.AtMost("silo peak RSS MB", r.SiloPeakRssMb, 1024),
        TargetCheck.AtMost("failed or refused calls", main.FailedCalls, 0),
    ];

    /// <summary>
    /// The most any matching process held in either measured phase. The half-rate phase runs after the peak, on a heap
    /// the peak grew, with smaller messages: it has held more than the peak phase (BENCHMARKS.md).
    /// </summary>
    internal static double? PeakRssMb(PhaseResult main, PhaseResult? halfRate, Func<string, bool> process)
    {
        PhaseResult[] phases = halfRate is null ? [main] : [main, halfRate];
        return phases.SelectMany(phase => phase.Processes).Where(p => process(p.Key)).Max(p => p.Value.PeakRssMb);
    }

    private static double? Ratio(double ours, ReferenceResult? reference) =>
        reference?.EventsPerSec is { } theirs && theirs > 0 ? Math.Round(ours / theirs, 3) : null;

    private static Dictionary<string, object?> Describe(BenchOptions o) => new(StringComparer.Ordinal)
    {
        ["grpc"] = o.Grpc.ToString(),
        ["clickhouse"] = o.ClickHouse.ToString(),
        ["database"] = o.Database,
        ["queue_prefix"] = o.QueuePrefix,
        ["clients"] = o.Clients,
        ["events_per_dispatch"] = o.BatchSize,
        ["types"] = o.Types,
        ["duration_s"] = o.Duration.TotalSeconds,
        ["event_limit"] = o.EventLimit,
        ["warmup_s"] = o.Warmup.TotalSeconds,
        ["rate"] = o.Rate,
        ["half_rate_s"] = o.HalfRateDuration.TotalSeconds,
        ["references"] = o.References.Order().ToList(),
        ["reference_s"] = o.ReferenceDuration.TotalSeconds,
        ["bulk_batch"] = o.BulkBatch,
        ["async_clients"] = o.AsyncClients,
        ["async_batch"] = o.AsyncBatch,
        ["rabbitmq_in_flight"] = o.RabbitMqInFlight,
    };

    private static (string? Commit, bool? Dirty) Git()
    {
        if (BenchOptions.RepoRoot is not { } root) return (null, null);
        string? Run(string arguments)
        {
            try
            {
                using var git = Process.Start(new ProcessStartInfo("git", arguments)
                    { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true });
                if (git is null) return null;
                var output = git.StandardOutput.ReadToEnd();
                git.WaitForExit();
                return git.ExitCode == 0 ? output : null;
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                return null;
            }
        }
        var commit = Run("rev-parse HEAD")?.Trim();
        return (commit, commit is null ? null : Run("status --porcelain --untracked-files=no") is { Length: > 0 });
    }
}
