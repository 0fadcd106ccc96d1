using System.Diagnostics;
using Events.Bench.Load;
using Events.Bench.Measure;

namespace Events.Bench;

/// <summary>
/// Runs one load phase and measures it: the load itself, a progress line a second, the window's ClickHouse inserts,
/// RabbitMQ messages and process CPU/memory, then waits until every accepted event is queryable (the drain).
/// </summary>
internal sealed class PhaseRunner(BenchContext context)
{
    /// <summary>The broker refreshes its management figures every 5 s; reading later than this after the load sees them final.</summary>
    private static readonly TimeSpan BrokerStatsDelay = TimeSpan.FromSeconds(6);

    /// <summary>Events an earlier phase had accepted but not yet stored when its drain timed out: they still arrive.</summary>
    private long _carriedOver;

    public async Task<PhaseResult> RunAsync(PhasePlan plan, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var recorder = new DispatchRecorder();
        var carriedOver = _carriedOver;
        await using var freshness = new FreshnessProbe(context.ClickHouse, context.Tables, options.Database, options.Table, options.FreshnessPerSecond);
        var rowsAtStart = await context.Tables.RowsAsync(options.Table, cancellationToken);
        var queuesAtStart = await context.Queues.SnapshotAsync();
        var progress = new PhaseProgress(context, plan, recorder);
        using var stopProgress = new CancellationTokenSource();
        var watching = progress.RunAsync(stopProgress.Token);

        await context.Load.RunAsync(plan, recorder, freshness.Offer, cancellationToken);
        var loadEnded = Stopwatch.GetTimestamp();
        await stopProgress.CancelAsync();
        var window = await watching;
        var tablesEnd = await context.Tables.SnapshotAsync(cancellationToken);
        var countersEnd = await context.ServerCounters.SnapshotAsync();
        var processesEnd = context.Processes.Mark();
        var silosEnd = await context.Silos.SnapshotAsync();
        var windowSeconds = Stopwatch.GetElapsedTime(window.At, processesEnd.At).TotalSeconds;

        var drain = await DrainAsync(recorder, rowsAtStart, cancellationToken);
        var fresh = await freshness.FinishAsync(TimeSpan.FromSeconds(drain.Drained ? 10 : 1));
        var remaining = BrokerStatsDelay - Stopwatch.GetElapsedTime(loadEnded);
        if (remaining > TimeSpan.Zero) await Task.Delay(remaining, cancellationToken);
        var queuesAtEnd = await context.Queues.SnapshotAsync();
        var published = queuesAtEnd is not null && queuesAtStart is not null ? queuesAtEnd.Published - queuesAtStart.Published : (long?)null;

        var measuredSeconds = recorder.MeasuredSeconds;
        var accepted = recorder.AcceptedMeasured;
        var eventsPerSec = drain.Drained
            ? accepted / (measuredSeconds + drain.LagSeconds!.Value)
            : drain.Stored / Stopwatch.GetElapsedTime(progress.StartedAt, drain.At).TotalSeconds;
        var outcomes = recorder.Outcomes;
        return new PhaseResult
        {
            Name = plan.Name,
            Mode = plan.Rate is null ? "closed loop" : "open loop",
            TargetEventsPerSec = plan.Rate is { } rate ? Math.Round(rate, 0) : null,
            Clients = options.Clients,
            EventsPerDispatch = options.BatchSize,
            MeasuredSeconds = Math.Round(measuredSeconds, 2),
            EventsPerSec = Math.Round(eventsPerSec, 0),
            AcceptedEventsPerSec = Math.Round(accepted / measuredSeconds, 0),
            AcceptedEvents = accepted,
            AcceptedEventsWithWarmup = recorder.AcceptedTotal,
            CallsPerSec = Math.Round(recorder.CallsMeasured / measuredSeconds, 1),
            Outcomes = outcomes,
            FailedCalls = outcomes.Where(o => o.Key != Outcome.Success).Sum(o => o.Value),
            DispatchLatencyMs = Percentiles.FromMicros(recorder.Measured()),
            SenderLatenessMs = plan.Rate is null ? null : Percentiles.FromMicros(recorder.SenderLateness()),
            Drained = drain.Drained,
            DrainLagSeconds = drain.LagSeconds is { } lag ? Math.Round(lag, 2) : null,
            RowsStored = drain.Stored,
            UndrainedAtStart = carriedOver,
            Freshness = fresh,
            TableInserts = TableInserts.Between(window.Tables, tablesEnd, windowSeconds),
            ClickhouseServerCounters = ClickHouseServerCounters.Between(window.Counters, countersEnd),
            EventsPerRabbitmqMessage = published > 0 ? Math.Round(recorder.AcceptedTotal / (double)published.Value, 1) : null,
            RabbitmqMessagesPublished = published,
            RabbitmqMessageBytes = progress.MessageBytes is { } bytes ? Math.Round(bytes, 0) : null,
            RabbitmqPeakBacklogMessages = progress.PeakBacklog,
            RabbitmqError = context.Queues.LastError,
            Processes = context.Processes.Between(window.Processes, processesEnd),
            SiloGc = SiloGcPauses.Between(SiloGcPauses.Read(window.Silos), SiloGcPauses.Read(silosEnd), windowSeconds),
            SiloLag = SiloLag.Between(window.Silos, silosEnd, options.Table),
        };
    }

    /// <summary>
    /// Waits until the table holds every event accepted in the phase (warm-up included) and whatever an earlier phase
    /// left undrained, or the drain timeout.
    /// </summary>
    private async Task<DrainResult> DrainAsync(DispatchRecorder recorder, long rowsAtStart, CancellationToken cancellationToken)
    {
        var target = recorder.AcceptedTotal + _carriedOver;
        var deadline = Stopwatch.GetTimestamp() + (long)(context.Options.DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var stored = await context.Tables.RowsAsync(context.Options.Table, cancellationToken) - rowsAtStart;
            var now = Stopwatch.GetTimestamp();
            if (stored >= target)
            {
                _carriedOver = 0;
                return new DrainResult(true, Stopwatch.GetElapsedTime(recorder.MeasureUntil, now).TotalSeconds, stored, now);
            }
            if (now > deadline)
            {
                Console.WriteLine($"  drain: {stored:N0} of {target:N0} accepted events queryable after {context.Options.DrainTimeout.TotalSeconds:0} s");
                _carriedOver = target - stored;
                return new DrainResult(false, null, stored, now);
            }
            await Task.Delay(100, cancellationToken);
        }
    }

    private sealed record DrainResult(bool Drained, double? LagSeconds, long Stored, long At);
}
