using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace Events.Bench.Load;

/// <summary>
/// The outcome of every dispatch of a phase, and the latency of those accepted. Calls that start before <see cref="MeasureFrom"/> (warm-up)
/// count towards the events to drain but not towards the figures; accepted events count when their answer
/// arrives inside the measured window.
/// </summary>
internal sealed class DispatchRecorder
{
    private readonly Recorder _interval = MicrosHistogram().WithThreadSafeWrites().WithThreadSafeReads().Create();

    private readonly HistogramBase _measured = MicrosHistogram().Create();

    /// <summary>Open loop: how late each measured send left after its intended time, in microseconds.</summary>
    private readonly HistogramBase _senderLateness = MicrosHistogram().Create();

    private readonly ConcurrentDictionary<string, long> _outcomes = new(StringComparer.Ordinal);
    private long _acceptedTotal;
    private long _acceptedMeasured;
    private long _callsMeasured;
    private long _measureUntil = long.MaxValue;

    public long MeasureFrom { get; set; } = long.MaxValue;

    /// <summary>Every event answered SUCCESS in the phase, warm-up included: what must reach ClickHouse.</summary>
    public long AcceptedTotal => Interlocked.Read(ref _acceptedTotal);

    public long AcceptedMeasured => Interlocked.Read(ref _acceptedMeasured);

    public long CallsMeasured => Interlocked.Read(ref _callsMeasured);

    public IReadOnlyDictionary<string, long> Outcomes => new SortedDictionary<string, long>(_outcomes, StringComparer.Ordinal);

    /// <summary>Ends the measured window: answers after this still count as accepted, not in the rate.</summary>
    public void StopMeasuring(long at) => Interlocked.Exchange(ref _measureUntil, at);

    public long MeasureUntil => Interlocked.Read(ref _measureUntil);

    public double MeasuredSeconds => Stopwatch.GetElapsedTime(MeasureFrom, Interlocked.Read(ref _measureUntil)).TotalSeconds;

    /// <summary>
    /// Open loop: when a call's latency starts. A late send counts from its intended time, so a stall of the system
    /// shows as latency (no coordinated omission); an early one from when it was sent, so it is not flattered.
    /// Records the lateness of measured sends.
    /// </summary>
    public long ScheduledStart(long intended, long sentAt)
    {
        if (intended >= MeasureFrom)
        {
            var lateMicros = (long)Stopwatch.GetElapsedTime(intended, Math.Max(intended, sentAt)).TotalMicroseconds;
            lock (_senderLateness) _senderLateness.RecordValue(Math.Clamp(lateMicros, 1, 600_000_000));
        }
        return Math.Min(intended, sentAt);
    }

    /// <summary>Open loop: the lateness of the measured sends (empty in closed loop).</summary>
    public HistogramBase SenderLateness()
    {
        lock (_senderLateness) return _senderLateness.Copy();
    }

    /// <param name="startedAt">From <see cref="ScheduledStart"/> in open loop, the actual send time in closed loop.</param>
    public void Record(long startedAt, long answeredAt, string outcome, int events)
    {
        var measured = startedAt >= MeasureFrom && answeredAt <= Interlocked.Read(ref _measureUntil);
        if (outcome == Outcome.Success)
        {
            Interlocked.Add(ref _acceptedTotal, events);
            if (measured) Interlocked.Add(ref _acceptedMeasured, events);
        }
        if (!measured) return;
        Interlocked.Increment(ref _callsMeasured);
        _outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        if (outcome != Outcome.Success)
        {
            return; // the latency of accepted calls: a refusal at the door is quick and would flatter it
        }
        var micros = Math.Max(1, (long)Stopwatch.GetElapsedTime(startedAt, answeredAt).TotalMicroseconds);
        _interval.RecordValue(Math.Min(micros, 600_000_000));
    }

    /// <summary>The latencies since the last call (for the progress line); also folded into the phase's total.</summary>
    public HistogramBase TakeInterval()
    {
        var interval = _interval.GetIntervalHistogram();
        lock (_measured) _measured.Add(interval);
        return interval;
    }

    public HistogramBase Measured()
    {
        TakeInterval();
        lock (_measured) return _measured.Copy();
    }

    /// <summary>Latencies in microseconds, up to 10 minutes, 3 significant digits.</summary>
    private static HistogramFactory MicrosHistogram() =>
        HistogramFactory.With64BitBucketSize().WithValuesFrom(1).WithValuesUpTo(600_000_000).WithPrecisionOf(3);
}
