using Events.Tests.Infrastructure;
using StackExchange.Redis;

namespace Events.Tests.Faults;

/// <summary>
/// Real processes for a fault test: silos clustered through Redis and the Api (which may host a silo itself), on free
/// ports, isolated by their own cluster id, ClickHouse database, PostgreSQL schema, queue prefix and broker input names.
/// Silos and the Api can be killed, stopped and started again on the same ports. Disposing kills every process and
/// removes what the test left in ClickHouse, PostgreSQL, RabbitMQ and Redis.
/// </summary>
internal sealed class FaultCluster : IAsyncDisposable
{
    public const int QueueCount = 8;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly string _id = Guid.NewGuid().ToString("N")[..12];
    private readonly (int SiloPort, int GatewayPort)[] _siloPorts;
    private readonly ProcessHost?[] _silos;
    private readonly List<ProcessHost> _exited = [];
    private readonly string _logDirectory;
    private readonly IReadOnlyDictionary<string, string> _siloSettings;
    private readonly (int SiloPort, int GatewayPort)? _apiSiloPorts;
    private ProcessHost? _api;

    private FaultCluster(int silos, string logDirectory, IReadOnlyDictionary<string, string> siloSettings, bool apiHostsSilo)
    {
        _logDirectory = logDirectory;
        _siloSettings = siloSettings;
        _apiSiloPorts = apiHostsSilo ? (LocalServices.FreeTcpPort(), LocalServices.FreeTcpPort()) : null;
        _siloPorts = Enumerable.Range(0, silos).Select(_ => (LocalServices.FreeTcpPort(), LocalServices.FreeTcpPort())).ToArray();
        _silos = new ProcessHost?[silos];
    }

    public string ClusterId => $"t-{_id}";
    public string Database => $"t_{_id}";
    public string QueuePrefix => $"t-{_id}";

    /// <summary>The Redis key of this cluster's reminders (ServiceId = ClusterId here).</summary>
    public string RemindersKey => $"{ClusterId}/reminders";
    public int GrpcPort { get; } = LocalServices.FreeTcpPort();
    public int HttpPort { get; } = LocalServices.FreeTcpPort();
    public Uri GrpcAddress => new($"http://127.0.0.1:{GrpcPort}");
    public ClickHouseQuery ClickHouse { get; } = new();

    /// <summary>The silos' broker inputs, under names of this cluster's own (never the shared default queues).</summary>
    public BrokerInputNames Inputs => new(QueuePrefix);

    public ProcessHost Silo(int index) => _silos[index] ?? throw new InvalidOperationException($"silo {index} is not running");
    public ProcessHost Api => _api ?? throw new InvalidOperationException("the Api is not running");

    /// <summary>The silo-to-silo port of silo <paramref name="index"/>, as in its Orleans address (<c>127.0.0.1:port@generation</c>).</summary>
    public int SiloPort(int index) => _siloPorts[index].SiloPort;

    /// <summary>Starts <paramref name="silos"/> silos and the Api; returns once the Api answers ready with every silo up.</summary>
    /// <param name="logDirectory">Emptied, then receives one log file per process (restarts append to it).</param>
    /// <param name="siloSettings">Extra environment for every silo, e.g. <c>Events__RabbitMq__CacheSize</c>.</param>
    /// <param name="startSilos">How many of the silos to start now (default all); the others join later with <see cref="StartSiloAsync"/>.</param>
    /// <param name="apiHostsSilo">The Api runs a silo in its own process too (<c>Events:Api:HostSilo</c>), as <c>./events.sh up</c> does.</param>
    public static async Task<FaultCluster> StartAsync(int silos, string logDirectory, IReadOnlyDictionary<string, string>? siloSettings = null,
        int? startSilos = null, bool apiHostsSilo = false)
    {
        await LocalServices.RequireAsync("RabbitMQ", LocalServices.RabbitMqPort);
        await LocalServices.RequireAsync("ClickHouse", LocalServices.ClickHousePort);
        await LocalServices.RequireAsync("Redis", LocalServices.RedisPort);
        await PostgresQuery.RequireAsync();
        if (Directory.Exists(logDirectory)) Directory.Delete(logDirectory, recursive: true);
        Directory.CreateDirectory(logDirectory);
        var cluster = new FaultCluster(silos, logDirectory, siloSettings ?? new Dictionary<string, string>(), apiHostsSilo);
        try
        {
            // All at once: each process takes seconds to start on a small machine, and the Api waits for the cluster.
            var started = Enumerable.Range(0, startSilos ?? silos).Select(cluster.LaunchSilo).ToList();
            var api = cluster.LaunchApi();
            await Task.WhenAll(started.Select(cluster.WaitUntilJoinedAsync));
            await cluster.WaitUntilReadyAsync(api);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Like kill -9: the silo runs no shutdown code, its connections just drop.</summary>
    public void KillSilo(int index)
    {
        var silo = Silo(index);
        silo.Kill();
        _exited.Add(silo);
        _silos[index] = null;
    }

    /// <summary>Like kill -TERM: the silo flushes its sinks and leaves the cluster (killed after <paramref name="grace"/>); true if it exited by itself.</summary>
    public async Task<bool> StopSiloAsync(int index, TimeSpan grace)
    {
        var silo = Silo(index);
        var exited = await silo.StopAsync(grace);
        _exited.Add(silo);
        _silos[index] = null;
        return exited;
    }

    /// <summary>Starts silo <paramref name="index"/> on its ports and waits until it has joined the cluster.</summary>
    public Task StartSiloAsync(int index) => WaitUntilJoinedAsync(LaunchSilo(index));

    private ProcessHost LaunchSilo(int index)
    {
        if (_silos[index] is not null) throw new InvalidOperationException($"silo {index} is running");
        var silo = ProcessHost.Start($"silo-{index}", "Silo", SiloEnvironment(_siloPorts[index]), LogFile($"silo-{index}"));
        _silos[index] = silo;
        return silo;
    }

    private Dictionary<string, string> SiloEnvironment((int SiloPort, int GatewayPort) ports)
    {
        var (siloPort, gatewayPort) = ports;
        var environment = new Dictionary<string, string>(ClusterEnvironment())
        {
            ["Events__Cluster__SiloPort"] = siloPort.ToString(),
            ["Events__Cluster__GatewayPort"] = gatewayPort.ToString(),
            ["Events__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["Events__Metrics__Port"] = "0", // off: silos of concurrent runs would share the default port
            ["Events__RabbitMq__Port"] = LocalServices.RabbitMqPort.ToString(),
            ["Events__RabbitMq__QueueNamePrefix"] = QueuePrefix,
            ["Events__RabbitMq__QueueCount"] = QueueCount.ToString(),
            ["Events__ClickHouse__Port"] = LocalServices.ClickHousePort.ToString(),
            ["Events__ClickHouse__Database"] = Database,
            ["Events__Postgres__ConnectionString"] = PostgresQuery.ConnectionString,
            ["Events__Postgres__Schema"] = Database,
            // Each flush is logged, so a test can tell which silo hosts a table's sink.
            ["Logging__LogLevel__Events.Grains.Sinks"] = "Debug",
        };
        foreach (var (key, value) in Inputs.Environment()) environment[key] = value;
        foreach (var (key, value) in _siloSettings) environment[key] = value;
        return environment;
    }

    // The host reports started only after the silo has joined the cluster's membership.
    private Task WaitUntilJoinedAsync(ProcessHost silo) =>
        WaitForAsync(silo, () => silo.LinesSince(0).Any(l => l.Contains("Application started", StringComparison.Ordinal)),
            $"{silo.Name} did not start (join the cluster) within {StartTimeout.TotalSeconds:0} s");

    /// <summary>Stops the Api: gracefully (SIGTERM, killed after 30 s) or like kill -9.</summary>
    public async Task StopApiAsync(bool kill)
    {
        var api = Api;
        if (kill) api.Kill();
        else await api.StopAsync(TimeSpan.FromSeconds(30));
        _exited.Add(api);
        _api = null;
    }

    /// <summary>Starts the Api on its ports and waits until it answers ready.</summary>
    public Task StartApiAsync() => WaitUntilReadyAsync(LaunchApi());

    private ProcessHost LaunchApi()
    {
        if (_api is not null) throw new InvalidOperationException("the Api is running");
        var environment = _apiSiloPorts is { } ports
            ? new Dictionary<string, string>(SiloEnvironment(ports)) { ["Events__Api__HostSilo"] = "true" }
            : new Dictionary<string, string>(ClusterEnvironment())
            {
                // What /readyz probes: the same services the silos use.
                ["Events__RabbitMq__Port"] = LocalServices.RabbitMqPort.ToString(),
                ["Events__ClickHouse__Port"] = LocalServices.ClickHousePort.ToString(),
                ["Events__Postgres__ConnectionString"] = PostgresQuery.ConnectionString,
            };
        environment["Events__Api__GrpcPort"] = GrpcPort.ToString();
        environment["Events__Api__HttpPort"] = HttpPort.ToString();
        _api = ProcessHost.Start("api", "Api", environment, LogFile("api"));
        return _api;
    }

    private async Task WaitUntilReadyAsync(ProcessHost api)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}/"), Timeout = TimeSpan.FromSeconds(5) };
        var ready = false;
        await WaitForAsync(api, () => ready, $"the Api was not ready within {StartTimeout.TotalSeconds:0} s", async () =>
        {
            try
            {
                using var response = await http.GetAsync("readyz");
                ready = response.IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
        });
    }

    /// <summary>Every line any process of this cluster printed (from the log files, complete unlike the tails).</summary>
    public IEnumerable<string> AllLogLines() =>
        Directory.EnumerateFiles(_logDirectory, "*.log").SelectMany(file =>
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n');
        });

    /// <summary>The last lines of every process, including those killed or stopped, for failure messages.</summary>
    public string Logs(int lines = 40) =>
        string.Join('\n', _exited.Concat(_silos.OfType<ProcessHost>()).Concat(_api is null ? [] : [_api]).Select(p => p.Tail(lines)));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _silos.OfType<ProcessHost>().Concat(_api is null ? [] : [_api]).Concat(_exited))
        {
            await process.DisposeAsync();
        }
        await ForgetAsync();
        ClickHouse.Dispose();
    }

    private string LogFile(string process) => Path.Combine(_logDirectory, process + ".log");

    private Dictionary<string, string> ClusterEnvironment() => new()
    {
        ["Events__Cluster__Provider"] = "Redis",
        ["Events__Cluster__RedisConnectionString"] = $"{LocalServices.Host}:{LocalServices.RedisPort}",
        ["Events__Cluster__ClusterId"] = ClusterId,
        ["Events__Cluster__ServiceId"] = ClusterId,
    };

    /// <summary>Removes the test's database, queues and membership table; best effort for each, all attempted.</summary>
    private async Task ForgetAsync()
    {
        var problems = new List<Exception>();
        async Task Attempt(Func<Task> cleanup)
        {
            try { await cleanup(); }
            catch (Exception ex) { problems.Add(ex); }
        }
        await Attempt(() => ClickHouse.ExecuteAsync($"DROP DATABASE IF EXISTS `{Database}`"));
        await Attempt(() => PostgresQuery.DropSchemaAsync(Database));
        await Attempt(() => RabbitMqQueues.DeleteAsync(QueuePrefix, QueueCount));
        await Attempt(Inputs.DeleteAsync);
        await Attempt(async () =>
        {
            // Orleans.Clustering.Redis keeps the membership table under "{ServiceId}/members/{ClusterId}", and
            // Orleans.Reminders.Redis the reminders (the sinks' watchdogs) under "{ServiceId}/reminders".
            await using var redis = await ConnectionMultiplexer.ConnectAsync($"{LocalServices.Host}:{LocalServices.RedisPort}");
            await redis.GetDatabase().KeyDeleteAsync([$"{ClusterId}/members/{ClusterId}", RemindersKey]);
        });
        if (problems.Count > 0)
        {
            throw new AggregateException($"Cleaning up after cluster {ClusterId} failed", problems);
        }
    }

    private async Task WaitForAsync(ProcessHost process, Func<bool> done, string failure, Func<Task>? probe = null)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (probe is not null) await probe();
            if (done()) return;
            if (process.HasExited) throw new InvalidOperationException($"{process.Name} exited during start-up.\n{Logs()}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{failure}.\n{Logs()}");
            await Task.Delay(250);
        }
    }
}
