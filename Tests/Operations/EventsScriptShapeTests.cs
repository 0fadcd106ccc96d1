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

    private Task<(int ExitCode, string Output)> UpAsync(params string[] options)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "events.sh"), "up", .. options])
        {
            WorkingDirectory = RepoPaths.Root,
        };
        info.Environment["EVENTS_DATA_DIR"] = _dataDir;
        // Should it go on to install, start and build instead of refusing, the timeout stops it before it takes the ports.
        return CommandRun.RunAsync(info, TimeSpan.FromSeconds(30));
    }

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);
}
