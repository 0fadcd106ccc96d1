using System.Diagnostics;

namespace Events.Tests.Faults;

/// <summary>
/// Samples how many events the clients have had acknowledged, ten times a second, and splits the run into named
/// phases (e.g. "1 silo", "joining"). Per phase: events per second, the slowest whole second, and the longest
/// stall, the longest time without any new acknowledgement.
/// </summary>
internal sealed class ThroughputRecorder : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);
    private readonly Func<int> _acknowledged;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(TimeSpan At, int Count)> _samples = [];
    private readonly List<(string Name, TimeSpan Start)> _phases = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    public ThroughputRecorder(Func<int> acknowledged, string firstPhase)
    {
        _acknowledged = acknowledged;
        Sample();
        BeginPhase(firstPhase);
        _sampling = Task.Run(SampleAsync);
    }

    public void BeginPhase(string name)
    {
        lock (_samples)
        {
            _phases.Add((name, _clock.Elapsed));
        }
    }

    /// <summary>The figures of every phase so far; the last one ends now.</summary>
    public IReadOnlyList<PhaseThroughput> Phases()
    {
        Sample();
        lock (_samples)
        {
            var end = _samples[^1].At;
            return _phases.Select((phase, i) => Measure(phase.Name, phase.Start, i + 1 < _phases.Count ? _phases[i + 1].Start : end)).ToList();
        }
    }

    /// <summary>The longest stall of any phase.</summary>
    public TimeSpan LongestStall => Phases().Max(p => p.LongestStall);

    public string Describe() => string.Join("; ", Phases().Select(p => p.ToString()));

    private PhaseThroughput Measure(string name, TimeSpan start, TimeSpan end)
    {
        int CountAt(TimeSpan at) => _samples.LastOrDefault(s => s.At <= at, _samples[0]).Count;
        var events = CountAt(end) - CountAt(start);
        var seconds = Math.Max((end - start).TotalSeconds, 0.001);
        var buckets = Enumerable.Range(0, (int)Math.Floor(seconds))
            .Select(i => CountAt(start + TimeSpan.FromSeconds(i + 1)) - CountAt(start + TimeSpan.FromSeconds(i)))
            .ToList();
        // Times at which the count went up, bounded by the phase: the gaps between them are stalls.
        var increases = _samples.Zip(_samples.Skip(1)).Where(pair => pair.Second.Count > pair.First.Count && pair.Second.At > start && pair.Second.At <= end)
            .Select(pair => pair.Second.At);
        var marks = new[] { start }.Concat(increases).Append(end).ToList();
        var stall = marks.Zip(marks.Skip(1), (a, b) => b - a).DefaultIfEmpty(TimeSpan.Zero).Max();
        var zeroRun = buckets.Aggregate((Run: 0, Longest: 0), (acc, b) => b == 0 ? (acc.Run + 1, Math.Max(acc.Longest, acc.Run + 1)) : (0, acc.Longest)).Longest;
        return new PhaseThroughput(name, end - start, events, events / seconds, buckets.Count == 0 ? events : buckets.Min(), zeroRun, stall);
    }

    private void Sample()
    {
        lock (_samples)
        {
            _samples.Add((_clock.Elapsed, _acknowledged()));
        }
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false)) Sample();
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}

/// <param name="SlowestSecond">Fewest events acknowledged in one whole second of the phase.</param>
/// <param name="ZeroSeconds">Longest run of consecutive whole seconds in which no event was acknowledged.</param>
/// <param name="LongestStall">Longest time in the phase without a new acknowledgement.</param>
internal sealed record PhaseThroughput(string Name, TimeSpan Duration, int Events, double PerSecond, int SlowestSecond, int ZeroSeconds, TimeSpan LongestStall)
{
    public override string ToString() =>
        $"{Name}: {Duration.TotalSeconds:0.0} s, {Events} events, {PerSecond:0}/s, slowest second {SlowestSecond}, " +
        $"at most {ZeroSeconds} s in a row at zero, longest stall {LongestStall.TotalSeconds:0.0} s";
}
