using System.Diagnostics;
using Events.Bench.Load;
using HdrHistogram;

namespace Events.Tests.Unit;

/// <summary>When an open-loop call's latency starts, and the benchmark's own lateness beside it.</summary>
public sealed class DispatchRecorderTests
{
    private const long Intended = 1_000_000_000;

    private static long Ms(double ms) => (long)(ms / 1000 * Stopwatch.Frequency);

    private static DispatchRecorder Recorder() => new() { MeasureFrom = 0 };

    [Fact]
    public void ScheduledStart_LateSend_CountsFromTheIntendedTime_AndRecordsTheLateness()
    {
        var recorder = Recorder();

        var start = recorder.ScheduledStart(Intended, Intended + Ms(5));

        Assert.Equal(Intended, start);
        var lateness = recorder.SenderLateness();
        Assert.Equal(1, lateness.TotalCount);
        Assert.InRange(lateness.GetMaxValue(), 4_990, 5_010); // µs
    }

    [Fact]
    public void ScheduledStart_EarlySend_CountsFromTheSend_SoTheLatencyIsNotShortened()
    {
        var recorder = Recorder();
        var sent = Intended - Ms(0.6);

        var start = recorder.ScheduledStart(Intended, sent);
        recorder.Record(start, sent + Ms(4), Outcome.Success, 100);

        Assert.Equal(sent, start);
        Assert.InRange(recorder.Measured().GetValueAtPercentile(50), 3_990, 4_010); // µs: answered - sent, not - intended
        Assert.True(recorder.SenderLateness().GetMaxValue() <= 1, "an early send is not late");
    }

    [Fact]
    public void ScheduledStart_BeforeTheMeasuredWindow_RecordsNoLateness()
    {
        var recorder = new DispatchRecorder { MeasureFrom = Intended + Ms(1) };

        recorder.ScheduledStart(Intended, Intended + Ms(3));

        Assert.Equal(0, recorder.SenderLateness().TotalCount);
    }
}
