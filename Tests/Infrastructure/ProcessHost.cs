using System.Collections.Concurrent;
using System.Diagnostics;

namespace Events.Tests.Infrastructure;

/// <summary>One of our own processes (a silo or the Api) started from its build output, as ./events.sh runs it.</summary>
public sealed class ProcessHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ProcessHost(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }
    public bool HasExited => _process.HasExited;
    public int Id => _process.Id;

    public static ProcessHost Start(string name, string project, IReadOnlyDictionary<string, string> environment)
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
        var host = new ProcessHost(name, process);
        process.OutputDataReceived += (_, e) => host.Record(e.Data);
        process.ErrorDataReceived += (_, e) => host.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>The last lines the process printed, for failure messages.</summary>
    public string Tail(int lines = 40) => $"--- {Name} (last {lines} lines) ---\n" + string.Join('\n', _output.TakeLast(lines));

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
        return ValueTask.CompletedTask;
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > 2000)
        {
            _output.TryDequeue(out _);
        }
    }
}
