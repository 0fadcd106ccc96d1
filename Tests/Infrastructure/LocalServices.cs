using System.Net.Sockets;

namespace Events.Tests.Infrastructure;

/// <summary>
/// The real services the integration tests use, on the ports ./events.sh starts them on
/// (overridable with the same EVENTS_* variables). A missing service fails the test with how to start it.
/// </summary>
public static class LocalServices
{
    public const string Host = "127.0.0.1";
    public static int RabbitMqPort { get; } = Port("EVENTS_RABBITMQ_PORT", 5672);
    public static int RabbitMqManagementPort { get; } = Port("EVENTS_RABBITMQ_MANAGEMENT_PORT", 15672);
    public static int ClickHousePort { get; } = Port("EVENTS_CLICKHOUSE_HTTP_PORT", 8123);
    public static int RedisPort { get; } = Port("EVENTS_REDIS_PORT", 6379);
    public static int PostgresPort { get; } = Port("EVENTS_POSTGRES_PORT", 5432);
    public static Uri RabbitMqUri => new($"amqp://guest:guest@{Host}:{RabbitMqPort}/");

    public static async Task RequireAsync(string service, int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(Host, port).WaitAsync(TimeSpan.FromSeconds(3));
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"{service} is not reachable on {Host}:{port} ({ex.Message}). Start the local services with ./events.sh up (./events.sh test starts them too).", ex);
        }
    }

    private static readonly HashSet<int> GivenPorts = [];

    /// <summary>
    /// A port nothing listens on now, below the kernel's ephemeral range (32768-60999 on Linux) and never given twice in
    /// one test run. A port from the ephemeral range (what binding port 0 returns) can be taken by any outgoing
    /// connection before the server started with it binds ("Address already in use" in a CI run).
    /// </summary>
    public static int FreeTcpPort()
    {
        lock (GivenPorts)
        {
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var port = Random.Shared.Next(20_000, 32_000);
                if (!GivenPorts.Add(port)) continue;
                try
                {
                    var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
                    listener.Start();
                    listener.Stop();
                    return port;
                }
                catch (SocketException)
                {
                    // in use: try another
                }
            }
        }
        throw new InvalidOperationException("no free TCP port between 20000 and 32000 for a test server");
    }

    private static int Port(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var port) ? port : fallback;
}
