using System.Diagnostics;
using Events.Tests.Infrastructure;

namespace Events.Tests.Operations;

/// <summary>
/// <c>./events.sh up</c> over a running cluster of the other shape refuses before it starts anything: the one-process
/// silo clusters on localhost and separate silos through Redis, so mixed they would be two clusters on the same
/// queues. The running cluster is stood in for by pid files naming this test's own process, in a data directory of
/// the test's own, so no service or build is touched.
/// </summary>
public sealed class EventsScriptShapeTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("events-shape-").FullName;
    private readonly string _ownPid = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("--silos", "2")]
    [InlineData("--separate-api")]
    public async Task SeparateProcesses_OverTheOneProcessCluster_AreRefused(params string[] options)
    {
        RunningAs(api: true, silo: true);

        var (exitCode, output) = await UpAsync(options);

        Assert.Equal(1, exitCode);
        Assert.Contains("the Api runs the only silo in its own process: ./events.sh down first", output);
        Assert.False(Directory.Exists(Path.Combine(_dataDir, "logs")), "up went on after refusing:\n" + output);
    }

    [Fact]
    public async Task TheOneProcessCluster_OverASeparateSilo_IsRefused()
    {
        RunningAs(api: false, silo: true);

        var (exitCode, output) = await UpAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("a silo runs in a process of its own: ./events.sh down first", output);
        Assert.False(Directory.Exists(Path.Combine(_dataDir, "logs")), "up went on after refusing:\n" + output);
    }

    /// <summary>Writes the pid files of a running cluster: the Api hosting silo-1 (both), or silo-1 alone.</summary>
    private void RunningAs(bool api, bool silo)
    {
        var run = Directory.CreateDirectory(Path.Combine(_dataDir, "run")).FullName;
        if (api) File.WriteAllText(Path.Combine(run, "api.pid"), _ownPid);
        if (silo) File.WriteAllText(Path.Combine(run, "silo-1.pid"), _ownPid);
    }

    private async Task<(int ExitCode, string Output)> UpAsync(params string[] options)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "events.sh"), "up", .. options])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        info.Environment["EVENTS_DATA_DIR"] = _dataDir;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // It went on to install, start and build instead of refusing: stop it before it takes the ports.
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);
}
