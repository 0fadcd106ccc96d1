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

    public static int FreeTcpPort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static int Port(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var port) ? port : fallback;
}
