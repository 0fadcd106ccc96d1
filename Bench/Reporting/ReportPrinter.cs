using System.Globalization;
using Events.Bench.Measure;
using Events.Bench.References;

namespace Events.Bench.Reporting;

/// <summary>The run as a table on the terminal: each figure, the references on the same rows, the ratios and the targets.</summary>
internal static class ReportPrinter
{
    public static void Print(BenchReport report, TextWriter output)
    {
        var main = report.Phases[0];
        var half = report.Phases.Count > 1 ? report.Phases[1] : null;
        var refs = report.References;
        var rows = new List<(string Figure, string Value, string Target)>
        {
            ("ours: sustained end-to-end events/s", N(report.EventsPerSec), Target(report, 0)),
            ("ours: accepted at the front door, events/s", N(main.AcceptedEventsPerSec), ""),
            ("  drained (all accepted queryable) after the window", main.Drained ? $"{main.DrainLagSeconds:0.0} s" : "NO (timeout)", ""),
            ($"dispatch ms p50/p90/p99/max, accepted ({main.Name})", Latency(main.DispatchLatencyMs), ""),
        };
        AddSenderLateness(rows, main);
        if (half is not null)
        {
            rows.Add(($"dispatch ms p50/p90/p99/max, accepted ({half.Name}, {N(half.TargetEventsPerSec)} ev/s open loop)", Latency(half.DispatchLatencyMs), Target(report, 3)));
            rows.Add(($"  accepted at half rate, events/s", N(half.AcceptedEventsPerSec), ""));
            AddSenderLateness(rows, half);
        }
        rows.Add(("freshness ms p50/p90/p99/max (peak)", Freshness(main.Freshness), Target(report, 4)));
        if (half is not null) rows.Add(("freshness ms p50/p90/p99/max (half rate)", Freshness(half.Freshness), ""));
        rows.Add(("  silo lag s p50/p99: at the sink | stored (peak)", Lag(main.SiloLag), ""));
        if (half is not null) rows.Add(("  silo lag s p50/p99: at the sink | stored (half rate)", Lag(half.SiloLag), ""));
        foreach (var (table, figures) in main.TableInserts)
        {
            rows.Add(($"ClickHouse '{table}': rows per insert, inserts/s", $"{N(figures.RowsPerInsert)}, {figures.InsertsPerSec:0.##}", table == "event" ? $"{Target(report, 5)}, {Target(report, 6)}" : ""));
        }
        rows.Add(("events per RabbitMQ message, message bytes", $"{N(main.EventsPerRabbitmqMessage)}, {N(main.RabbitmqMessageBytes)}", ""));
        rows.Add(("silo / api peak RSS MB (peak and half rate)", $"{N(report.SiloPeakRssMb)} / {N(report.ApiPeakRssMb)}", Target(report, 7)));
        rows.Add(("calls not accepted (by status)", main.FailedCalls == 0 ? "0" : string.Join(", ", main.Outcomes.Where(o => o.Key != "SUCCESS").Select(o => $"{o.Key} {o.Value}")), ""));
        rows.Add(("CPU cores busy in the peak window", Cpu(main.Processes), "of " + Environment.ProcessorCount));
        rows.Add(("silo GC: paused s (% of window), collections (peak)", Gc(main.SiloGc), ""));
        if (half is not null) rows.Add(("silo GC: paused s (% of window), collections (half rate)", Gc(half.SiloGc), ""));
        rows.Add(("(a) raw ClickHouse bulk insert, rows/s", Reference(refs, ClickHouseBulkReference.Name), ""));
        rows.Add(("(b) raw RabbitMQ publish+confirm, msgs/s (events/s)", Reference(refs, RabbitMqConfirmReference.Name), ""));
        rows.Add(("(c) direct HTTP async insert, rows/s", Reference(refs, AsyncInsertReference.Name), ""));
        rows.Add(("ours / (a)", Ratio(report.RatioVsClickhouseBulk), Target(report, 1)));
        rows.Add(("ours / (b)", Ratio(report.RatioVsRabbitmqConfirm), ""));
        rows.Add(("ours / (c)", Ratio(report.RatioVsAsyncInsert), Target(report, 2)));

        var load = report.Machine.GetValueOrDefault("load_avg_start") is double[] s && report.Machine.GetValueOrDefault("load_avg_end") is double[] e
            ? $"load {s.FirstOrDefault():0.00} -> {e.FirstOrDefault():0.00}" : "";
        output.WriteLine();
        output.WriteLine($"Events.Orleans benchmark {report.RunId}: {report.Machine.GetValueOrDefault("cores")} cores, {load}, commit {report.GitCommit?[..Math.Min(8, report.GitCommit.Length)]}{(report.GitDirty == true ? " (dirty)" : "")}");
        var width = rows.Max(r => r.Figure.Length);
        var valueWidth = Math.Max(12, rows.Max(r => r.Value.Length));
        output.WriteLine($"{"figure".PadRight(width)}  {"value".PadRight(valueWidth)}  target");
        output.WriteLine($"{new string('-', width)}  {new string('-', valueWidth)}  ------");
        foreach (var (figure, value, target) in rows)
        {
            output.WriteLine($"{figure.PadRight(width)}  {value.PadRight(valueWidth)}  {target}".TrimEnd());
        }
    }

    // Open loop only: the benchmark's own part of the latency above.
    private static void AddSenderLateness(List<(string Figure, string Value, string Target)> rows, PhaseResult phase)
    {
        if (phase.SenderLatenessMs is { } late)
        {
            rows.Add(($"  of which the benchmark sent late, ms p50/p90/p99/max ({phase.Name})", Latency(late), ""));
        }
    }

    private static string Target(BenchReport report, int index) =>
        report.Targets.ElementAtOrDefault(index) is { } t ? $"{t.Target} {(t.Met switch { true => "met", false => "NOT met", null => "n/a" })}" : "";

    private static string Reference(IReadOnlyDictionary<string, ReferenceResult> refs, string name) => refs.GetValueOrDefault(name) switch
    {
        null => "not run",
        { Error: { } error } => "failed: " + (error.Length > 60 ? error[..60] + "..." : error),
        { Unit: "messages" } r => $"{N(r.UnitsPerSec)} ({N(r.EventsPerSec)})",
        var r => N(r.UnitsPerSec),
    };

    private static string Latency(Percentiles p) => p.Count == 0 ? "no calls" : $"{p.P50:0.0} / {p.P90:0.0} / {p.P99:0.0} / {p.Max:0}";

    private static string Freshness(FreshnessResult f) =>
        f.Seen == 0 ? $"none seen ({f.Sampled} sampled)" : $"{f.Ms.P50:0} / {f.Ms.P90:0} / {f.Ms.P99:0} / {f.Ms.Max:0}" + (f.Missing > 0 ? $" ({f.Missing} of {f.Sampled} never seen)" : "");

    private static string Gc(GcFigures? gc) =>
        gc is null ? "n/a (no silo /metrics)" : $"{gc.PauseSeconds:0.00} s ({gc.WorstSiloPausePercent:0.0}%), {gc.Collections:N0}";

    // Bucket bounds: "≤0.5" means the quantile fell in the bucket up to 0.5 s.
    private static string Lag(LagFigures? lag) =>
        lag is null ? "n/a (no silo /metrics)" : $"{LagStage(lag.Arrived)} | {LagStage(lag.Stored)}";

    private static string LagStage(LagStage stage) =>
        stage.Messages == 0 ? "none" : $"{Under(stage.P50UnderSeconds)}/{Under(stage.P99UnderSeconds)}";

    private static string Under(double? bound) =>
        bound is { } b ? "≤" + b.ToString("0.##", CultureInfo.InvariantCulture) : ">300";

    private static string Cpu(IReadOnlyDictionary<string, ProcessFigures> processes) =>
        string.Join(" ", processes.Where(p => p.Value.CpuCores is not null).Select(p => $"{p.Key} {p.Value.CpuCores:0.00}"));

    private static string Ratio(double? ratio) => ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "n/a";

    private static string N(double? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "n/a";
}
