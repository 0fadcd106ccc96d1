namespace Events.Api.Hosting;

/// <summary>Where the front end listens and which cluster it talks to (<c>Events:Api</c>).</summary>
public sealed class ApiOptions
{
    public const string Section = "Events:Api";

    /// <summary>The address both ports bind to. Default 127.0.0.1; use 0.0.0.0 in containers.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>gRPC (HTTP/2; without TLS unless <see cref="Tls"/> has a certificate), as the original. Default 8017.</summary>
    public int GrpcPort { get; set; } = 8017;

    /// <summary>Webhooks, health, metrics and the dashboard. Default 8019.</summary>
    public int HttpPort { get; set; } = 8019;

    /// <summary>
    /// Run the silo in this process instead of reaching the cluster as a client (default false). One process per machine
    /// then does both: on a small machine that saves the CPU of a hop between processes (BENCHMARKS.md). The silo reads
    /// its settings (<c>silo.appsettings.json</c>, a copy of the silo's file) and its environment variables as usual.
    /// </summary>
    public bool HostSilo { get; set; }

    /// <summary>TLS on both ports (<c>Events:Api:Tls</c>); off by default.</summary>
    public ApiTlsOptions Tls { get; set; } = new();

    public IEnumerable<string> Problems()
    {
        if (!System.Net.IPAddress.TryParse(ListenAddress, out _))
        {
            yield return $"Events:Api:ListenAddress '{ListenAddress}' is not an IP address.";
        }
        if (GrpcPort is < 1 or > 65535 || HttpPort is < 1 or > 65535 || GrpcPort == HttpPort)
        {
            yield return $"Events:Api:GrpcPort {GrpcPort} and HttpPort {HttpPort} must be two different TCP ports.";
        }
    }
}
