using Prometheus;

namespace Events.Silo.Metrics;

/// <summary>
/// Serves <c>/metrics</c> on its own port. A port already taken is logged, not fatal: a silo without metrics
/// still stores events, and stopping it over its metrics would turn a monitoring problem into an outage.
/// </summary>
internal sealed partial class MetricsServer(MetricsOptions options, CollectorRegistry registry, ILogger<MetricsServer> logger)
    : IHostedService, IDisposable
{
    private KestrelMetricServer? _server;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var server = new KestrelMetricServer(new KestrelMetricServerOptions
        {
            Hostname = options.ListenAddress,
            Port = (ushort)options.Port,
            Registry = registry,
        });
        try
        {
            server.Start();
            _server = server;
            LogListening(options.ListenAddress, options.Port);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            server.Dispose();
            LogCannotListen(ex, options.ListenAddress, options.Port);
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null) await _server.StopAsync();
    }

    public void Dispose() => _server?.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving Prometheus metrics at http://{Address}:{Port}/metrics")]
    private partial void LogListening(string address, int port);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot serve Prometheus metrics on {Address}:{Port}; the silo runs without /metrics")]
    private partial void LogCannotListen(Exception exception, string address, int port);
}
