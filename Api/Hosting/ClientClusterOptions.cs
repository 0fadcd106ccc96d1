namespace Events.Api.Hosting;

/// <summary>How the Api reaches the silos (<c>Events:Cluster</c>, the same section the silos read).</summary>
public sealed class ClientClusterOptions
{
    public const string Section = "Events:Cluster";

    /// <summary><c>Localhost</c> or <c>Redis</c>. Default <c>Localhost</c>.</summary>
    public string Provider { get; set; } = "Localhost";

    /// <summary>Default <c>127.0.0.1:6379</c>.</summary>
    public string RedisConnectionString { get; set; } = "127.0.0.1:6379";

    /// <summary>Default <c>events</c>.</summary>
    public string ClusterId { get; set; } = "events";

    /// <summary>Default <c>events</c>.</summary>
    public string ServiceId { get; set; } = "events";

    /// <summary>With Localhost: the gateway port of the local silo. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    public IEnumerable<string> Problems()
    {
        if (Provider is not ("Localhost" or "Redis"))
        {
            yield return $"Events:Cluster:Provider '{Provider}' must be Localhost or Redis.";
        }
        if (GatewayPort is < 1 or > 65535)
        {
            yield return $"Events:Cluster:GatewayPort {GatewayPort} is not a TCP port.";
        }
    }
}
