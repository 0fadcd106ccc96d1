using Events.Api.Hosting;

namespace Events.Api.Operations;

/// <summary>
/// The services readiness probes, read from the same keys the silos use (<c>Events:RabbitMq</c>, <c>Events:ClickHouse</c>,
/// <c>Events:Postgres</c>, and Redis when the cluster uses it), so one set of environment variables serves both.
/// A service whose host is empty is not probed.
/// </summary>
internal static class ServiceEndpoints
{
    public static List<ServiceEndpoint> Read(IConfiguration configuration, ClientClusterOptions cluster, List<string> problems)
    {
        var endpoints = new List<ServiceEndpoint>();
        Add(endpoints, problems, "rabbitmq", configuration["Events:RabbitMq:HostName"], configuration["Events:RabbitMq:Port"] ?? "5672");
        Add(endpoints, problems, "clickhouse", configuration["Events:ClickHouse:Host"], configuration["Events:ClickHouse:Port"] ?? "8123");
        var postgres = ParseConnectionString(configuration["Events:Postgres:ConnectionString"] ?? "");
        Add(endpoints, problems, "postgres", postgres.GetValueOrDefault("host"), postgres.GetValueOrDefault("port") ?? "5432");
        if (cluster.Provider == "Redis")
        {
            // StackExchange.Redis form: "host:port,option=value,...".
            var first = cluster.RedisConnectionString.Split(',')[0].Trim();
            var colon = first.LastIndexOf(':');
            Add(endpoints, problems, "redis", colon < 0 ? first : first[..colon], colon < 0 ? "6379" : first[(colon + 1)..]);
        }
        return endpoints;
    }

    private static void Add(List<ServiceEndpoint> endpoints, List<string> problems, string name, string? host, string port)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return;
        }
        if (!int.TryParse(port, out var number) || number is < 1 or > 65535)
        {
            problems.Add($"The {name} port '{port}' is not a TCP port.");
            return;
        }
        endpoints.Add(new ServiceEndpoint(name, host.Trim(), number));
    }

    // Npgsql form: "Host=...;Port=...;Username=...". Only host and port matter here; the password is never kept.
    private static Dictionary<string, string> ParseConnectionString(string connectionString) =>
        connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .Select(pair => (Key: pair[0].Trim().ToLowerInvariant(), Value: pair[1].Trim()))
            .Where(pair => pair.Key is "host" or "server" or "port")
            .GroupBy(pair => pair.Key == "server" ? "host" : pair.Key)
            .ToDictionary(group => group.Key, group => group.Last().Value);
}
