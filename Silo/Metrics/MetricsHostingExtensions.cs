using Prometheus;

namespace Events.Silo.Metrics;

/// <summary>
/// The silo's <c>/metrics</c>: the grains and the stream provider record with .NET meters; here they are exported
/// to a registry of the silo's own (with process figures) and served on <c>Events:Metrics:Port</c>.
/// </summary>
public static class MetricsHostingExtensions
{
    public static IHostApplicationBuilder AddEventsMetrics(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new();
        var problems = options.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid configuration: " + string.Join(" ", problems));
        }

        // A registry of its own, not prometheus-net's default: no second export of the meters through its adapter.
        var registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(registry);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton<MeterBridge>();
        builder.Services.AddHostedService<MeterBridgeStarter>();
        if (options.Port > 0)
        {
            builder.Services.AddSingleton(options);
            builder.Services.AddHostedService<MetricsServer>();
        }
        return builder;
    }

    /// <summary>Creates the bridge when the host starts, before the silo's grains record anything.</summary>
    private sealed class MeterBridgeStarter(MeterBridge bridge) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(bridge);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
