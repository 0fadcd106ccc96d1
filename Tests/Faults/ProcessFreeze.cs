using System.Diagnostics;

namespace Events.Tests.Faults;

/// <summary>
/// Stops a process with SIGSTOP until disposed (SIGCONT): a server that stalls, with its connections open and its
/// sockets taking bytes, as a broker does in a long pause.
/// </summary>
internal sealed class ProcessFreeze : IDisposable
{
    private readonly int _pid;

    private ProcessFreeze(int pid) => _pid = pid;

    public static ProcessFreeze Start(int pid)
    {
        Signal(pid, "STOP");
        return new ProcessFreeze(pid);
    }

    public void Dispose() => Signal(_pid, "CONT");

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed (exit {kill.ExitCode})");
        }
    }
}
