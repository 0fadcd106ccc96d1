using System.Globalization;

namespace Events.Bench;

/// <summary>What to drive, how hard, and what to compare it with. Every option has a default that runs the standard benchmark.</summary>
internal sealed record BenchOptions
{
    public const string Usage = """
        usage: Bench [options]      drives a RUNNING Events.Orleans cluster (./events.sh up) through its gRPC front door
          where:
            --grpc URL                   gRPC front door (EVENTS_GRPC_URL, http://127.0.0.1:8017)
            --clickhouse URL             ClickHouse HTTP (EVENTS_CLICKHOUSE_URL, http://127.0.0.1:8123)
            --database NAME              ClickHouse database the cluster writes to (events)
            --table NAME                 table probed for freshness (event)
            --rabbitmq URI               AMQP (EVENTS_RABBITMQ_URI, amqp://guest:guest@127.0.0.1:5672/)
            --rabbitmq-management URL    management API (EVENTS_RABBITMQ_MANAGEMENT_URL, http://127.0.0.1:15672/)
            --queue-prefix NAME          the cluster's stream queues (events-stream)
          load:
            --clients N                  concurrent gRPC clients, one HTTP/2 connection each (32)
            --batch N                    events per dispatch (100)
            --types N|all|A,B,...        event types mixed in each batch (10)
            --duration S                 measured seconds of the main phase (60)
            --events N                   or stop the main phase after N accepted events
            --warmup S                   unmeasured seconds before each phase (30: a freshly started silo runs slower code for
                                         its first ~30 s while the JIT tiers it up; BENCHMARKS.md)
            --rate EVENTS_PER_SEC        open loop at this rate instead of closed-loop peak; latency counts from
                                         the intended send time (no coordinated omission)
            --max-in-flight N            open loop: calls outstanding at most (2048)
            --half-rate-seconds S        after a peak phase, open loop at half the peak for S seconds (30; 0 = skip)
            --freshness-per-sec N        events sampled per second for freshness (5)
            --drain-timeout S            wait at most S seconds for accepted events to be queryable (60)
          references (same run, same rows):
            --references LIST            bulk,rabbitmq,async or none (bulk,rabbitmq,async)
            --reference-seconds S        seconds per reference (15)
            --bulk-batch N               rows per raw ClickHouse insert (100000)
            --async-clients N            clients of the async-insert path (32)
            --async-batch N              rows per async insert (100)
            --rabbitmq-in-flight N       unconfirmed publishes at once (256)
            --rabbitmq-consumer on|off   drain the scratch queue while publishing (on). off: messages wait in the
                                         queue, as ours do until stored, so each confirm waits for the broker's disk
          a quiet machine:
            --wait-for-load L            first wait until the 1-minute load average is below L (off)
            --wait-max S                 ... for at most S seconds, then run anyway and say so (1200)
          processes and output:
            --run-dir DIR                pid files of ./events.sh (EVENTS_DATA_DIR/run)
            --silo-pid PID, --api-pid PID   measure these processes (repeatable for silos)
            --silo-metrics URL           a silo's /metrics, for its GC pause time (repeatable; http://127.0.0.1:8021/metrics)
            --output FILE                results JSON (Bench/results/latest.json)
            --remove-rows on|off         at the end, delete this run's rows from the database's tables (on), so
                                         benchmarking a live system leaves no synthetic events in its analytics
        """;

    public Uri Grpc { get; init; } = new("http://127.0.0.1:8017");
    public Uri ClickHouse { get; init; } = new("http://127.0.0.1:8123");
    public string Database { get; init; } = "events";
    public string Table { get; init; } = "event";
    public Uri RabbitMq { get; init; } = new("amqp://guest:guest@127.0.0.1:5672/");
    public Uri RabbitMqManagement { get; init; } = new("http://127.0.0.1:15672/");
    public string QueuePrefix { get; init; } = "events-stream";

    public int Clients { get; init; } = 32;
    public int BatchSize { get; init; } = 100;
    public string Types { get; init; } = "10";
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);
    public long? EventLimit { get; init; }
    /// <summary>
    /// Unmeasured seconds before each phase. 30 s: right after <c>./events.sh up</c> the silo and the Api run
    /// tier-0 JIT code, and the same processes carried 38,459 events/s one minute after start and 58,082 a few minutes
    /// later (BENCHMARKS.md); a service runs warm, so that is what a run measures.
    /// </summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(30);
    public double? Rate { get; init; }
    public int MaxInFlight { get; init; } = 2048;
    public TimeSpan HalfRateDuration { get; init; } = TimeSpan.FromSeconds(30);
    public double FreshnessPerSecond { get; init; } = 5;
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public IReadOnlySet<string> References { get; init; } = new HashSet<string> { "bulk", "rabbitmq", "async" };
    public TimeSpan ReferenceDuration { get; init; } = TimeSpan.FromSeconds(15);
    public int BulkBatch { get; init; } = 100_000;
    public int AsyncClients { get; init; } = 32;
    public int AsyncBatch { get; init; } = 100;
    public int RabbitMqInFlight { get; init; } = 256;
    public bool RabbitMqConsumer { get; init; } = true;
    public bool RemoveRows { get; init; } = true;

    public double? WaitForLoad { get; init; }
    public TimeSpan WaitMax { get; init; } = TimeSpan.FromSeconds(1200);

    public string? RunDir { get; init; }
    public IReadOnlyList<int> SiloPids { get; init; } = [];
    public IReadOnlyList<Uri> SiloMetrics { get; init; } = [new("http://127.0.0.1:8021/metrics")];
    public int? ApiPid { get; init; }
    public string Output { get; init; } = DefaultOutput();

    /// <summary>Reads <paramref name="args"/>, then the EVENTS_* variables; throws <see cref="ArgumentException"/> naming every problem.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var problems = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                problems.Add($"'{args[i]}' is not an option followed by a value");
                continue;
            }
            values.TryAdd(args[i], []);
            values[args[i]].Add(args[++i]);
        }
        var reader = new OptionReader(values, problems);
        var defaults = new BenchOptions();
        var options = new BenchOptions
        {
            Grpc = reader.Uri("--grpc", "EVENTS_GRPC_URL", defaults.Grpc),
            ClickHouse = reader.Uri("--clickhouse", "EVENTS_CLICKHOUSE_URL", defaults.ClickHouse),
            Database = reader.Name("--database", defaults.Database),
            Table = reader.Name("--table", defaults.Table),
            RabbitMq = reader.Uri("--rabbitmq", "EVENTS_RABBITMQ_URI", defaults.RabbitMq),
            RabbitMqManagement = reader.Uri("--rabbitmq-management", "EVENTS_RABBITMQ_MANAGEMENT_URL", defaults.RabbitMqManagement),
            QueuePrefix = reader.Name("--queue-prefix", defaults.QueuePrefix),
            Clients = reader.Int("--clients", defaults.Clients, 1),
            BatchSize = reader.Int("--batch", defaults.BatchSize, 1),
            Types = reader.Text("--types", defaults.Types),
            Duration = reader.Seconds("--duration", defaults.Duration, 1),
            EventLimit = reader.OptionalLong("--events"),
            Warmup = reader.Seconds("--warmup", defaults.Warmup, 0),
            Rate = reader.OptionalDouble("--rate"),
            MaxInFlight = reader.Int("--max-in-flight", defaults.MaxInFlight, 1),
            HalfRateDuration = reader.Seconds("--half-rate-seconds", defaults.HalfRateDuration, 0),
            FreshnessPerSecond = reader.Double("--freshness-per-sec", defaults.FreshnessPerSecond, 0),
            DrainTimeout = reader.Seconds("--drain-timeout", defaults.DrainTimeout, 1),
            References = reader.Set("--references", defaults.References, ["bulk", "rabbitmq", "async"]),
            ReferenceDuration = reader.Seconds("--reference-seconds", defaults.ReferenceDuration, 1),
            BulkBatch = reader.Int("--bulk-batch", defaults.BulkBatch, 1),
            AsyncClients = reader.Int("--async-clients", defaults.AsyncClients, 1),
            AsyncBatch = reader.Int("--async-batch", defaults.AsyncBatch, 1),
            RabbitMqInFlight = reader.Int("--rabbitmq-in-flight", defaults.RabbitMqInFlight, 1),
            RabbitMqConsumer = reader.OnOff("--rabbitmq-consumer", defaults.RabbitMqConsumer),
            RemoveRows = reader.OnOff("--remove-rows", defaults.RemoveRows),
            WaitForLoad = reader.OptionalDouble("--wait-for-load"),
            WaitMax = reader.Seconds("--wait-max", defaults.WaitMax, 0),
            RunDir = reader.OptionalText("--run-dir", DefaultRunDir()),
            SiloPids = reader.Ints("--silo-pid"),
            SiloMetrics = reader.Uris("--silo-metrics", defaults.SiloMetrics),
            ApiPid = reader.OptionalLong("--api-pid") is { } api ? (int)api : null,
            Output = reader.Text("--output", defaults.Output),
        };
        problems.AddRange(values.Keys.Except(reader.Known).Select(unknown => $"unknown option {unknown}"));
        return problems.Count == 0 ? options : throw new ArgumentException(string.Join("\n", problems));
    }

    /// <summary>The repository this tool was built in (where Events.Orleans.sln is), if any.</summary>
    public static string? RepoRoot { get; } = FindRepoRoot();

    /// <summary>Bench/results/latest.json of the repository, else the working directory.</summary>
    private static string DefaultOutput() => RepoRoot is { } root
        ? Path.Combine(root, "Bench", "results", "latest.json")
        : Path.Combine(Environment.CurrentDirectory, "latest.json");

    private static string? FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Events.Orleans.sln"))) return dir.FullName;
        }
        return null;
    }

    private static string? DefaultRunDir() =>
        Environment.GetEnvironmentVariable("EVENTS_DATA_DIR") is { Length: > 0 } data ? Path.Combine(data, "run") : null;

    public override string ToString()
    {
        var mode = Rate is { } rate ? string.Create(CultureInfo.InvariantCulture, $"open loop at {rate:0} events/s") : "closed loop (peak)";
        return string.Create(CultureInfo.InvariantCulture,
            $"{Clients} clients, {BatchSize} events/dispatch, types {Types}, {mode}, {Duration.TotalSeconds:0} s + {Warmup.TotalSeconds:0} s warm-up");
    }
}
