using System.Net;

namespace Events.Silo.Metrics;

/// <summary>Where the silo serves Prometheus metrics (<c>Events:Metrics</c>).</summary>
public sealed class MetricsOptions
{
    public const string Section = "Events:Metrics";

    /// <summary>HTTP port of <c>/metrics</c>; 0 turns it off. Default 8021 (next to the Api's 8017 and 8019).</summary>
    public int Port { get; set; } = 8021;

    /// <summary>Address the metrics port binds to. Default 127.0.0.1; <c>0.0.0.0</c> in containers.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    public IEnumerable<string> Problems()
    {
        if (Port is < 0 or > 65535)
        {
            yield return $"Events:Metrics:Port {Port} is not a TCP port (0 turns the endpoint off).";
        }
        if (!IPAddress.TryParse(ListenAddress, out _))
        {
            yield return $"Events:Metrics:ListenAddress '{ListenAddress}' is not an IP address.";
        }
    }
}
