using System.Diagnostics;
using System.Globalization;

namespace Events.Bench.Measure;

/// <summary>
/// CPU time and resident memory of the processes that do the work, read from /proc twice a second: which of them
/// uses the two cores is the first question about a throughput limit.
/// </summary>
internal sealed class ProcessSampler : IAsyncDisposable
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux
    private readonly IReadOnlyDictionary<string, int> _processes;
    private readonly Lock _lock = new();
    private readonly List<(long At, string Name, long RssKb)> _rss = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ProcessSampler(IReadOnlyDictionary<string, int> processes)
    {
        _processes = processes;
        _loop = Task.Run(LoopAsync);
    }

    public IReadOnlyDictionary<string, int> Processes => _processes;

    public ProcessMark Mark() => new(Stopwatch.GetTimestamp(),
        _processes.ToDictionary(p => p.Key, p => CpuTicks(p.Value), StringComparer.Ordinal), MachineFacts.CpuTicks());

    /// <summary>Per process over the window: average cores busy, peak resident memory seen, and its lifetime peak (VmHWM).</summary>
    public IReadOnlyDictionary<string, ProcessFigures> Between(ProcessMark start, ProcessMark end)
    {
        var seconds = Stopwatch.GetElapsedTime(start.At, end.At).TotalSeconds;
        var figures = new SortedDictionary<string, ProcessFigures>(StringComparer.Ordinal);
        List<(long At, string Name, long RssKb)> samples;
        lock (_lock) samples = _rss.Where(s => s.At >= start.At && s.At <= end.At).ToList();
        foreach (var (name, pid) in _processes)
        {
            double? cores = start.Cpu.GetValueOrDefault(name) is { } a && end.Cpu.GetValueOrDefault(name) is { } b && seconds > 0
                ? Math.Round((b - a) / ClockTicksPerSecond / seconds, 2) : null;
            var peak = samples.Where(s => s.Name == name).Select(s => (long?)s.RssKb).Max();
            figures[name] = new ProcessFigures(pid, cores, Mb(peak), Mb(Status(pid, "VmHWM:")));
        }
        var machine = end.Machine.Busy - start.Machine.Busy;
        var total = end.Machine.Total - start.Machine.Total;
        if (total > 0)
        {
            // All cores busy, whoever used them, in cores: what the listed processes do not explain is "other".
            var busy = Math.Round(machine / (double)total * Environment.ProcessorCount, 2);
            var listed = figures.Values.Sum(f => f.CpuCores ?? 0);
            figures["machine"] = new ProcessFigures(null, busy, null, null);
            figures["other"] = new ProcessFigures(null, Math.Round(Math.Max(0, busy - listed), 2), null, null);
        }
        return figures;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var (name, pid) in _processes)
            {
                if (Status(pid, "VmRSS:") is { } rss)
                {
                    lock (_lock) _rss.Add((now, name, rss));
                }
            }
            try { await Task.Delay(500, _stop.Token); } catch (OperationCanceledException) { return; }
        }
    }

    private static long? CpuTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // After "(comm)": state is field 3, utime 14, stime 15 (1-based over the whole line).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A "Vm...: N kB" line of /proc/pid/status, in kB.</summary>
    private static long? Status(int pid, string key)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static double? Mb(long? kb) => kb is { } k ? Math.Round(k / 1024.0, 1) : null;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
