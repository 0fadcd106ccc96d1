using System.Net;
using System.Net.Sockets;
using Events.Silo.Metrics;
using Events.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Events.Tests.Operations;

/// <summary>The silo's metrics port on real Kestrel: it serves the silo's registry, and a taken port does not stop the silo.</summary>
public sealed class MetricsServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FreePort_ServesTheRegistryAtMetrics()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        Prometheus.Metrics.WithCustomRegistry(registry).CreateCounter("events_probe_total", "A probe.").Inc(3);
        var port = LocalServices.FreeTcpPort();
        using var server = new MetricsServer(new MetricsOptions { Port = port }, registry, NullLogger<MetricsServer>.Instance);

        await server.StartAsync(Ct);
        try
        {
            using var http = new HttpClient();
            var text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics", Ct);
            Assert.Contains("events_probe_total 3", text);
        }
        finally
        {
            await server.StopAsync(Ct);
        }
    }

    [Fact]
    public async Task TakenPort_IsLoggedAndTheHostStartsAnyway()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var server = new MetricsServer(new MetricsOptions { Port = port }, Prometheus.Metrics.NewCustomRegistry(),
            NullLogger<MetricsServer>.Instance);

        await server.StartAsync(Ct); // does not throw
        await server.StopAsync(Ct);
    }
}
