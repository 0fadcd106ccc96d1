namespace Events.Silo.Hosting;

/// <summary>How this silo finds the others (<c>Events:Cluster</c>).</summary>
public sealed class SiloClusterOptions
{
    public const string Section = "Events:Cluster";

    /// <summary><c>Localhost</c> (one machine, no membership store) or <c>Redis</c>. Default <c>Localhost</c>.</summary>
    public string Provider { get; set; } = "Localhost";

    /// <summary>Membership and reminders store when Provider is Redis. Default <c>127.0.0.1:6379</c>.</summary>
    public string RedisConnectionString { get; set; } = "127.0.0.1:6379";

    /// <summary>Default <c>events</c>.</summary>
    public string ClusterId { get; set; } = "events";

    /// <summary>Default <c>events</c>.</summary>
    public string ServiceId { get; set; } = "events";

    /// <summary>Silo-to-silo port. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients (the Api) connect to. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>With Localhost: the silo port of the first silo, which the others join. Default 11111.</summary>
    public int PrimarySiloPort { get; set; } = 11111;

    /// <summary>
    /// The address other silos and clients reach this one at. Default 127.0.0.1; empty with Redis:
    /// this host's own address (containers).
    /// </summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    public IEnumerable<string> Problems()
    {
        if (Provider is not ("Localhost" or "Redis"))
        {
            yield return $"Events:Cluster:Provider '{Provider}' must be Localhost or Redis.";
        }
        if (Provider == "Redis" && string.IsNullOrWhiteSpace(RedisConnectionString))
        {
            yield return "Events:Cluster:RedisConnectionString is empty.";
        }
        foreach (var (name, port) in new[] { ("SiloPort", SiloPort), ("GatewayPort", GatewayPort), ("PrimarySiloPort", PrimarySiloPort) })
        {
            if (port is < 1 or > 65535)
            {
                yield return $"Events:Cluster:{name} {port} is not a TCP port.";
            }
        }
        if (AdvertisedAddress.Length > 0 && !System.Net.IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return $"Events:Cluster:AdvertisedAddress '{AdvertisedAddress}' is not an IP address.";
        }
        if (AdvertisedAddress.Length == 0 && Provider != "Redis")
        {
            yield return "Events:Cluster:AdvertisedAddress may only be empty with the Redis provider.";
        }
        if (string.IsNullOrWhiteSpace(ClusterId) || string.IsNullOrWhiteSpace(ServiceId))
        {
            yield return "Events:Cluster:ClusterId and ServiceId must be set.";
        }
    }
}
