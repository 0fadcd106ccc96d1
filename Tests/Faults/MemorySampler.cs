using Events.Tests.Infrastructure;

namespace Events.Tests.Faults;

/// <summary>Samples the resident memory of some processes twice a second and keeps each one's peak.</summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(500);
    private readonly IReadOnlyList<ProcessHost> _processes;
    private readonly long[] _peaks;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    public MemorySampler(IReadOnlyList<ProcessHost> processes)
    {
        _processes = processes;
        _peaks = processes.Select(p => p.ResidentBytes() ?? 0).ToArray();
        Baselines = _peaks.ToArray();
        _sampling = Task.Run(SampleAsync);
    }

    /// <summary>Resident bytes of each process when sampling started.</summary>
    public IReadOnlyList<long> Baselines { get; }

    /// <summary>The largest resident size seen of each process so far.</summary>
    public IReadOnlyList<long> Peaks => Enumerable.Range(0, _peaks.Length).Select(i => Interlocked.Read(ref _peaks[i])).ToArray();

    /// <summary>The largest growth over its baseline among the processes.</summary>
    public long MaxGrowth => Peaks.Zip(Baselines, (peak, baseline) => peak - baseline).Max();

    public string Describe() => string.Join(", ", _processes.Select((p, i) =>
        $"{p.Name} {Baselines[i] / 1_048_576} -> peak {Peaks[i] / 1_048_576} MB"));

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            for (var i = 0; i < _processes.Count; i++)
            {
                if (_processes[i].ResidentBytes() is { } bytes && bytes > Interlocked.Read(ref _peaks[i]))
                {
                    Interlocked.Exchange(ref _peaks[i], bytes);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _sampling;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
        _stop.Dispose();
    }
}
