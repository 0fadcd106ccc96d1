using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Events.Tests.Infrastructure;

/// <summary>One of our own processes (a silo or the Api) started from its build output, as ./events.sh runs it.</summary>
public sealed class ProcessHost : IAsyncDisposable
{
    private const int RetainedLines = 5000;
    private readonly Process _process;
    private readonly ConcurrentQueue<(long Number, string Text)> _output = new();
    private readonly StreamWriter? _log;
    private long _printed;

    private ProcessHost(string name, Process process, StreamWriter? log)
    {
        Name = name;
        _process = process;
        _log = log;
    }

    public string Name { get; }
    public bool HasExited => _process.HasExited;
    public int Id => _process.Id;

    /// <param name="logFile">Where to append everything the process prints, besides keeping its last lines in memory.</param>
    public static ProcessHost Start(string name, string project, IReadOnlyDictionary<string, string> environment, string? logFile = null)
    {
        var dll = RepoPaths.BuildOutput(project);
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {dll}");
        var log = logFile is null ? null : new StreamWriter(logFile, append: true) { AutoFlush = true };
        var host = new ProcessHost(name, process, log);
        process.OutputDataReceived += (_, e) => host.Record(e.Data);
        process.ErrorDataReceived += (_, e) => host.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>The last lines the process printed, for failure messages.</summary>
    public string Tail(int lines = 40) =>
        $"--- {Name} (last {lines} lines) ---\n" + string.Join('\n', _output.TakeLast(lines).Select(line => line.Text));

    /// <summary>How many lines the process has printed so far: a mark for <see cref="LinesSince"/>.</summary>
    public long LinesPrinted => Interlocked.Read(ref _printed);

    /// <summary>The retained lines printed after <paramref name="mark"/> (the last few thousand are kept).</summary>
    public IReadOnlyList<string> LinesSince(long mark) => _output.Where(line => line.Number > mark).Select(line => line.Text).ToList();

    /// <summary>Resident memory (VmRSS) from /proc, in bytes; null once the process is gone.</summary>
    public long? ResidentBytes()
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Like kill -TERM: the process runs its shutdown code. Killed if it has not exited within <paramref name="grace"/>;
    /// returns whether it exited by itself.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan grace)
    {
        if (_process.HasExited) return true;
        _ = SendSignal(_process.Id, SigTerm);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            Kill();
            return false;
        }
    }

    /// <summary>Like kill -9: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        lock (_output) _log?.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue((Interlocked.Increment(ref _printed), line));
        if (_log is not null)
        {
            lock (_output)
            {
                try { _log.WriteLine(line); }
                catch (ObjectDisposedException) { } // a last line after disposal
            }
        }
        while (_output.Count > RetainedLines)
        {
            _output.TryDequeue(out _);
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
