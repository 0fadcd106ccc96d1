using System.Text.Json;
using Events.Protos;
using Grpc.Core;
using Grpc.Net.Client;

namespace Events.Tests.Infrastructure;

/// <summary>
/// A silo process and an Api process on free ports, wired to the real RabbitMQ, ClickHouse and PostgreSQL,
/// isolated by their own ClickHouse database, PostgreSQL schema, queue prefix and cluster id.
/// </summary>
public sealed class PipelineFixture : IAsyncLifetime
{
    private const int QueueCount = 4;
    private readonly string _id = Guid.NewGuid().ToString("N")[..12];
    private readonly List<ProcessHost> _processes = [];
    private GrpcChannel? _channel;
    private Dictionary<string, string> _siloEnvironment = [];

    public string Database => $"t_{_id}";
    public string PostgresSchema => $"t_{_id}";
    public string QueuePrefix => $"t-{_id}";
    public int GrpcPort { get; } = LocalServices.FreeTcpPort();
    public int HttpPort { get; } = LocalServices.FreeTcpPort();

    /// <summary>The silo's Prometheus port (<c>/metrics</c>).</summary>
    public int SiloMetricsPort { get; } = LocalServices.FreeTcpPort();
    public ClickHouseQuery ClickHouse { get; } = new();

    /// <summary>The silo's broker inputs, under exchange and queue names of this pipeline's own.</summary>
    public BrokerInputNames Inputs => new(QueuePrefix);

    /// <summary>More environment for the silo process, applied last (a test's own settings). Set before start-up.</summary>
    public Dictionary<string, string> SiloEnvironment { get; } = [];

    /// <summary>More environment for the Api process, applied last (a test's own settings). Set before start-up.</summary>
    public Dictionary<string, string> ApiEnvironment { get; } = [];

    public EventService.EventServiceClient Client { get; private set; } = null!;

    /// <summary>The whole environment the Api was started with: another Api on the same cluster starts from it.</summary>
    public IReadOnlyDictionary<string, string> ApiStartEnvironment { get; private set; } = new Dictionary<string, string>();

    /// <summary>The silo process (the first one started), e.g. to stop it with SIGTERM.</summary>
    public ProcessHost Silo => _processes[0];

    /// <summary>The Api process.</summary>
    public ProcessHost Api => _processes[1];

    public async ValueTask InitializeAsync()
    {
        await LocalServices.RequireAsync("RabbitMQ", LocalServices.RabbitMqPort);
        await LocalServices.RequireAsync("ClickHouse", LocalServices.ClickHousePort);

        var siloPort = LocalServices.FreeTcpPort();
        var gatewayPort = LocalServices.FreeTcpPort();
        var cluster = new Dictionary<string, string>
        {
            ["Events__Cluster__ClusterId"] = $"t-{_id}",
            ["Events__Cluster__ServiceId"] = $"t-{_id}",
            ["Events__Cluster__GatewayPort"] = gatewayPort.ToString(),
        };
        _processes.Add(ProcessHost.Start("silo", "Silo", _siloEnvironment = WithOverrides(SiloEnvironment, new Dictionary<string, string>(cluster)
        {
            ["Events__Cluster__SiloPort"] = siloPort.ToString(),
            ["Events__Cluster__PrimarySiloPort"] = siloPort.ToString(),
            ["Events__Metrics__Port"] = SiloMetricsPort.ToString(),
            ["Events__RabbitMq__Port"] = LocalServices.RabbitMqPort.ToString(),
            ["Events__RabbitMq__QueueNamePrefix"] = QueuePrefix,
            ["Events__RabbitMq__QueueCount"] = QueueCount.ToString(),
            ["Events__ClickHouse__Port"] = LocalServices.ClickHousePort.ToString(),
            ["Events__ClickHouse__Database"] = Database,
            ["Events__Postgres__ConnectionString"] = PostgresQuery.ConnectionString,
            ["Events__Postgres__Schema"] = PostgresSchema,
        }.Concat(Inputs.Environment()).ToDictionary())));
        _processes.Add(ProcessHost.Start("api", "Api", ApiStartEnvironment = WithOverrides(ApiEnvironment, new Dictionary<string, string>(cluster)
        {
            ["Events__Api__GrpcPort"] = GrpcPort.ToString(),
            ["Events__Api__HttpPort"] = HttpPort.ToString(),
            // What /readyz probes: the same services the silo uses.
            ["Events__RabbitMq__Port"] = LocalServices.RabbitMqPort.ToString(),
            ["Events__ClickHouse__Port"] = LocalServices.ClickHousePort.ToString(),
            ["Events__Postgres__ConnectionString"] = PostgresQuery.ConnectionString,
        })));

        await WaitUntilReadyAsync();
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{GrpcPort}");
        Client = new EventService.EventServiceClient(_channel);
    }

    /// <summary>Starts the silo again, with the same settings, after it stopped; waits until the Api is ready again.</summary>
    public async Task RestartSiloAsync()
    {
        if (!Silo.HasExited)
        {
            throw new InvalidOperationException("The silo is still running: stop it first.");
        }
        await _processes[0].DisposeAsync();
        _processes[0] = ProcessHost.Start("silo", "Silo", _siloEnvironment);
        await WaitUntilReadyAsync();
    }

    /// <summary>
    /// Sends a batch the way a well-behaved client does: UNAVAILABLE and RESOURCE_EXHAUSTED mean "not stored, retry".
    /// Duplicates a retry may create are removed by event id in ClickHouse.
    /// </summary>
    public async Task DispatchAsync(Events.Protos.Events batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var response = await Client.dispatchAsync(batch);
                Assert.Equal("SUCCESS", response.Status);
                return;
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.ResourceExhausted && attempt < 10)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="table"/> holds at least <paramref name="expected"/> rows matching
    /// <paramref name="where"/>, then returns them deduplicated (FINAL), with <c>ts_ms</c> = event time in ms.
    /// </summary>
    public async Task<List<JsonElement>> WaitForRowsAsync(string table, string where, int expected)
    {
        var sql = $"SELECT *, toUnixTimestamp64Milli(event_timestamp) AS ts_ms FROM `{Database}`.`{table}` FINAL WHERE {where}";
        try
        {
            return await Eventually.Until(() => ClickHouse.RowsAsync(sql), rows => rows.Count >= expected, TimeSpan.FromSeconds(60),
                rows => $"expected {expected} rows in {table} where {where}, found {rows.Count}");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + "\n" + Logs(), ex);
        }
    }

    /// <summary>Waits until the silo has created <paramref name="table"/> (it does so at start-up).</summary>
    public Task WaitForTableAsync(string table) => Eventually.Until(
        () => ClickHouse.ExecuteAsync($"SELECT count() FROM system.tables WHERE database = '{Database}' AND name = '{table}'"),
        count => count.Trim() == "1", TimeSpan.FromSeconds(30), _ => $"table {Database}.{table} was not created");

    /// <summary>The last <paramref name="lines"/> lines of each process (a test may grep a whole run's).</summary>
    public string Logs(int lines = 40) => string.Join('\n', _processes.Select(p => p.Tail(lines)));

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        await ClickHouse.ExecuteAsync($"DROP DATABASE IF EXISTS `{Database}`");
        ClickHouse.Dispose();
        await RabbitMqQueues.DeleteAsync(QueuePrefix, QueueCount);
        await Inputs.DeleteAsync();
        await DropPostgresSchemaAsync();
    }

    // Best effort, like the silo's own schema creation: a test may have stopped PostgreSQL.
    private async Task DropPostgresSchemaAsync()
    {
        try
        {
            await PostgresQuery.DropSchemaAsync(PostgresSchema);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
        }
    }

    private static Dictionary<string, string> WithOverrides(Dictionary<string, string> overrides, Dictionary<string, string> environment)
    {
        foreach (var (key, value) in overrides)
        {
            environment[key] = value;
        }
        return environment;
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}/"), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            if (_processes.FirstOrDefault(p => p.HasExited) is { } exited)
            {
                throw new InvalidOperationException($"The {exited.Name} process exited during start-up.\n{Logs()}");
            }
            try
            {
                using var response = await http.GetAsync("readyz");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The pipeline was not ready within 90 s.\n{Logs()}");
            }
            await Task.Delay(250);
        }
    }
}
