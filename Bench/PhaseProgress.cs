using System.Diagnostics;
using System.Globalization;
using Events.Bench.Load;
using Events.Bench.Measure;
using HdrHistogram;

namespace Events.Bench;

/// <summary>
/// While a phase runs: one progress line a second, the snapshots that open the measured window when the warm-up
/// ends, and the broker's backlog and message size every other second (the broker refreshes them every 5 s).
/// </summary>
internal sealed class PhaseProgress(BenchContext context, PhasePlan plan, DispatchRecorder recorder)
{
    private double _messageBytesSum;
    private long _messageSamples;

    public long StartedAt { get; } = Stopwatch.GetTimestamp();

    public long? PeakBacklog { get; private set; }

    /// <summary>Average size of the messages seen waiting or unacknowledged in the stream queues.</summary>
    public double? MessageBytes => _messageSamples > 0 ? _messageBytesSum / _messageSamples : null;

    /// <summary>Prints progress until <paramref name="stop"/>; returns the snapshots taken when the warm-up ended.</summary>
    public async Task<WindowStart> RunAsync(CancellationToken stop)
    {
        var windowAt = StartedAt + (long)(plan.Warmup.TotalSeconds * Stopwatch.Frequency);
        WindowStart? window = null;
        var tick = 0;
        var lastAccepted = 0L;
        var lastRows = await context.Tables.RowsAsync(context.Options.Table, CancellationToken.None);
        var lastTick = Stopwatch.GetTimestamp();
        QueueTotals? queues = null;
        while (true)
        {
            var next = Math.Min(lastTick + Stopwatch.Frequency, window is null ? windowAt : long.MaxValue);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            try
            {
                if (wait > TimeSpan.Zero) await Task.Delay(wait, stop);
            }
            catch (OperationCanceledException)
            {
                return window ?? await CaptureAsync();
            }
            if (window is null && Stopwatch.GetTimestamp() >= windowAt)
            {
                window = await CaptureAsync();
            }
            if (Stopwatch.GetTimestamp() < lastTick + Stopwatch.Frequency) continue;

            var now = Stopwatch.GetTimestamp();
            var seconds = Stopwatch.GetElapsedTime(lastTick, now).TotalSeconds;
            lastTick = now;
            if (tick++ % 2 == 0 && await context.Queues.SnapshotAsync() is { } fresh)
            {
                queues = fresh;
                PeakBacklog = Math.Max(PeakBacklog ?? 0, fresh.Messages);
                if (fresh.Messages > 0)
                {
                    _messageBytesSum += fresh.Bytes / (double)fresh.Messages;
                    _messageSamples++;
                }
            }
            var accepted = recorder.AcceptedTotal;
            var rows = await TryRowsAsync() ?? lastRows;
            var latency = recorder.TakeInterval();
            var elapsed = Stopwatch.GetElapsedTime(StartedAt).TotalSeconds;
            var state = now < windowAt ? "warm-up" : latency.TotalCount == 0 ? "no answers" : $"p50 {Ms(latency.GetValueAtPercentile(50))} p99 {Ms(latency.GetValueAtPercentile(99))} max {Ms(latency.GetMaxValue())} ms";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{plan.Name,-9} {elapsed,4:0}s] accepted {(accepted - lastAccepted) / seconds,9:N0} ev/s | stored {(rows - lastRows) / seconds,9:N0} rows/s | " +
                $"{state} | in flight {context.Load.InFlight} | queued {(queues?.Messages.ToString(CultureInfo.InvariantCulture) ?? "?")} msgs | " +
                $"not accepted {recorder.Outcomes.Where(o => o.Key != Outcome.Success).Sum(o => o.Value)}"));
            lastAccepted = accepted;
            lastRows = rows;
        }
    }

    private async Task<WindowStart> CaptureAsync() => new(
        Stopwatch.GetTimestamp(),
        await context.Tables.SnapshotAsync(),
        await context.ServerCounters.SnapshotAsync(),
        context.Processes.Mark(),
        await context.Silos.SnapshotAsync());

    private async Task<long?> TryRowsAsync()
    {
        try
        {
            return await context.Tables.RowsAsync(context.Options.Table);
        }
        catch (Exception ex) when (ex is HttpRequestException or ClickHouseHttpException or TaskCanceledException)
        {
            return null;
        }
    }

    private static string Ms(long micros) => (micros / 1000.0).ToString(micros < 10_000 ? "0.0" : "0", CultureInfo.InvariantCulture);
}
