using System.Diagnostics;
using System.Text;

namespace Events.Tests.Infrastructure;

/// <summary>Runs a command to its end for a test: its output and errors as printed, and its exit code.</summary>
public static class CommandRun
{
    /// <summary>
    /// Fails with a <see cref="TimeoutException"/> carrying the output if the command outlives <paramref name="timeout"/>,
    /// after killing it and everything it started.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(ProcessStartInfo info, TimeSpan timeout)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start " + Describe(info));
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            lock (output) throw new TimeoutException($"{Describe(info)} did not finish within {timeout.TotalSeconds:0} s:\n{output}");
        }
        process.WaitForExit(); // flushes the redirected output
        lock (output) return (process.ExitCode, output.ToString());
    }

    private static string Describe(ProcessStartInfo info) => string.Join(' ', [info.FileName, .. info.ArgumentList]);
}
