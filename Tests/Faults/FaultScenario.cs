using System.Diagnostics;
using Events.Tests.Infrastructure;
using Grpc.Core;

namespace Events.Tests.Faults;

/// <summary>
/// The frame every fault test shares: a cluster under steady load, a fault the test injects, then the audit
/// of acknowledged against stored events and the report. Disposing stops the load and removes the cluster.
/// </summary>
internal sealed class FaultScenario : IAsyncDisposable
{
    private static readonly TimeSpan WarmUpTimeout = TimeSpan.FromSeconds(60);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly string _name;

    private FaultScenario(string name, FaultCluster cluster, LoadGenerator load)
    {
        _name = name;
        Cluster = cluster;
        Load = load;
    }

    public FaultCluster Cluster { get; }
    public LoadGenerator Load { get; }
    public static ITestOutputHelper? Output => TestContext.Current.TestOutputHelper;

    /// <summary>Starts the cluster and the load; returns once events are being acknowledged.</summary>
    /// <param name="startSilos">How many of the <paramref name="silos"/> run from the start (default all).</param>
    /// <param name="apiHostsSilo">The Api runs a silo in its own process too (<c>Events:Api:HostSilo</c>).</param>
    public static async Task<FaultScenario> StartAsync(string name, int silos, LoadOptions? options = null,
        IReadOnlyDictionary<string, string>? siloSettings = null, int? startSilos = null, bool apiHostsSilo = false)
    {
        var logs = Path.Combine(ServiceScript.DataDirectory, "logs", "faults", name.Replace(' ', '-'));
        var cluster = await FaultCluster.StartAsync(silos, logs, siloSettings, startSilos, apiHostsSilo);
        Log($"cluster {cluster.ClusterId} up: {startSilos ?? silos} of {silos} silos and the Api{(apiHostsSilo ? " hosting a silo" : "")}; their logs are in {logs}");
        var load = new LoadGenerator(cluster.GrpcAddress, options ?? new LoadOptions());
        var scenario = new FaultScenario(name, cluster, load);
        try
        {
            load.Start();
            await scenario.ExpectProgressAsync(1_000, WarmUpTimeout, "warming up");
            Log($"load running: {load.AcknowledgedCount} events acknowledged");
            return scenario;
        }
        catch
        {
            await scenario.DisposeAsync();
            throw;
        }
    }

    /// <summary>Fails with the processes' logs unless <paramref name="events"/> more events get acknowledged in time.</summary>
    public async Task<TimeSpan> ExpectProgressAsync(int events, TimeSpan timeout, string when)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await Load.WaitForMoreAcknowledgedAsync(events, timeout, when);
            return clock.Elapsed;
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\n{Cluster.Logs()}", ex);
        }
    }

    /// <summary>
    /// Waits until <paramref name="process"/> prints a line matching <paramref name="match"/> after <paramref name="mark"/>
    /// (<see cref="ProcessHost.LinesPrinted"/>); returns how long that took.
    /// </summary>
    public async Task<TimeSpan> WaitForLineAsync(ProcessHost process, long mark, Func<string, bool> match, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!process.LinesSince(mark).Any(match))
        {
            if (process.HasExited) throw new InvalidOperationException($"{process.Name} exited while waiting for: {what}.\n{Cluster.Logs()}");
            if (clock.Elapsed > timeout) throw new TimeoutException($"Not seen within {timeout.TotalSeconds:0} s: {what}.\n{Cluster.Logs()}");
            await Task.Delay(100);
        }
        return clock.Elapsed;
    }

    /// <summary>Every stream queue is empty once the audit passed: nothing is stranded in a queue no silo reads.</summary>
    public async Task AssertQueuesDrainedAsync()
    {
        await Eventually.Until(() => RabbitMqQueues.ReadyCountAsync(Cluster.QueuePrefix, FaultCluster.QueueCount), ready => ready == 0,
            TimeSpan.FromSeconds(30), ready => $"{ready} messages still wait in the stream queues");
    }

    /// <summary>Stops the load, waits for every acknowledged event to be stored, and reports the figures.</summary>
    public async Task<ReliabilityReport> FinishAsync(string action, string notes = "", TimeSpan? auditTimeout = null)
    {
        await Load.StopAsync();
        Log($"load stopped: {Load.AcknowledgedCount} events acknowledged; answers {Load.DescribeAnswers()}");
        var audit = await DeliveryAudit.RunAsync(Cluster.ClickHouse, Cluster.Database, Load.Run, Load.Acknowledged,
            auditTimeout ?? TimeSpan.FromSeconds(60));
        var report = new ReliabilityReport(_name, action, audit, Load.AnswersWith(StatusCode.Unavailable), Load.DescribeAnswers(),
            notes, _clock.Elapsed);
        report.Write(Output);
        return report;
    }

    /// <summary>The guarantee: nothing acknowledged is missing, and no valid batch was refused.</summary>
    public async Task AssertNothingLostAsync(ReliabilityReport report)
    {
        if (report.Audit.Lost > 0)
        {
            // Where they might be: still waiting in a queue (stuck) or nowhere (lost for good).
            var depths = new List<string>();
            for (var i = 0; i < FaultCluster.QueueCount; i++)
            {
                depths.Add($"{i}:{await RabbitMqQueues.ReadyCountAsync($"{Cluster.QueuePrefix}-{i}")}");
            }
            Assert.Fail($"{report.Audit.Lost} of {report.Audit.Acknowledged} acknowledged events are not in ClickHouse " +
                $"(e.g. {string.Join(", ", report.Audit.Missing.Take(10))}); messages ready per queue {string.Join(" ", depths)}.\n{Cluster.Logs()}");
        }
        Assert.True(Load.Refused == 0, $"valid batches were refused: {Load.DescribeAnswers()}");
        Assert.True(report.Audit.Acknowledged > 0, "no event was acknowledged at all");
    }

    /// <summary>
    /// Every error crossed its grain call intact. An exception type Orleans cannot serialize, or the receiving process
    /// cannot load, turns the answer into a codec error or drops it (the caller then waits for its response timeout).
    /// </summary>
    public void AssertNoUnserializableErrors()
    {
        string[] symptoms = ["CodecNotFoundException", "Exception sending message", "Exception reading message"];
        var failures = Cluster.AllLogLines().Where(line => symptoms.Any(s => line.Contains(s, StringComparison.Ordinal))).ToList();
        Assert.True(failures.Count == 0,
            $"{failures.Count} log lines show a message Orleans could not serialize or read, e.g.:\n" +
            string.Join('\n', failures.Take(3).Select(l => l.Length > 800 ? l[..800] : l)));
    }

    public static void Log(string message) => Output?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {message}");

    public async ValueTask DisposeAsync()
    {
        await Load.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
