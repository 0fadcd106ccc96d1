using System.Text;
using Events.Api.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Dashboard;
using Prometheus;

namespace Events.Api.Operations;

/// <summary>Health and drain, gRPC health and reflection, the dashboard, metrics and graceful shutdown.</summary>
public static class OperationsHostingExtensions
{
    private const string Ready = "ready";
    private const string Serving = "grpc";

    public static WebApplicationBuilder AddEventsOperations(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var operations = configuration.GetSection(OperationsOptions.Section).Get<OperationsOptions>() ?? new();
        var dashboard = configuration.GetSection(DashboardAccessOptions.Section).Get<DashboardAccessOptions>() ?? new();
        var api = configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new();
        var cluster = configuration.GetSection(ClientClusterOptions.Section).Get<ClientClusterOptions>() ?? new();
        var problems = operations.Problems().Concat(dashboard.Problems(api.ListenAddress)).ToList();
        var endpoints = ServiceEndpoints.Read(configuration, cluster, problems);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid configuration: " + string.Join(" ", problems));
        }

        builder.Services.AddOptions<OperationsOptions>().Bind(configuration.GetSection(OperationsOptions.Section));
        builder.Services.AddSingleton(dashboard);
        builder.Services.AddSingleton<DrainSwitch>();
        builder.Services.AddSingleton<DashboardBasicAuth>();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = operations.ShutdownTimeout);

        var checks = builder.Services.AddHealthChecks()
            .AddCheck<DrainHealthCheck>("accepting", tags: [Ready, Serving])
            .AddCheck<ClusterHealthCheck>("cluster", tags: [Ready, Serving]);
        foreach (var endpoint in endpoints)
        {
            checks.Add(new HealthCheckRegistration(endpoint.Name, _ => new TcpHealthCheck(endpoint, operations.CheckTimeout),
                HealthStatus.Unhealthy, [Ready], operations.CheckTimeout * 2));
        }
        // Watch streams are fed by the health check publisher: a short period so a drain shows within seconds.
        builder.Services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.FromSeconds(1);
            publisher.Period = TimeSpan.FromSeconds(2);
            publisher.Predicate = registration => registration.Tags.Contains(Serving);
        });
        builder.Services.AddGrpcHealthChecks(health =>
        {
            health.Services.Clear();
            health.Services.Map("", check => check.Tags.Contains(Serving));
            health.Services.Map("event.EventService", check => check.Tags.Contains(Serving));
        });
        // Listed explicitly: the dispatch service is bound by hand, so reflection cannot discover its descriptor.
        builder.Services.AddSingleton(new Grpc.Reflection.ReflectionServiceImpl(
            Protos.EventService.Descriptor, Grpc.Health.V1.Health.Descriptor, Grpc.Reflection.V1Alpha.ServerReflection.Descriptor));
        builder.Services.AddGrpcReflection();
        builder.Services.Configure<Grpc.AspNetCore.Server.GrpcServiceOptions>(grpc => grpc.Interceptors.Add<DispatchMetricsInterceptor>());
        return builder;
    }

    /// <summary>The Orleans Dashboard needs the client side of its grains in the Api's Orleans client.</summary>
    public static IClientBuilder AddEventsDashboard(this IClientBuilder client) => client.AddDashboard();

    public static WebApplication MapEventsOperations(this WebApplication app)
    {
        var drain = app.Services.GetRequiredService<DrainSwitch>();
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            // Balancers see NOT_SERVING at once; Kestrel finishes the calls already in flight.
            drain.Set(true);
            OperationsLog.ShuttingDown(app.Logger, app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostOptions>>().Value.ShutdownTimeout.TotalSeconds);
        });

        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        app.MapHeartbeat();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteReport });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteReport });
        var admission = app.Services.GetRequiredService<Events.Api.Dispatch.DispatchAdmission>();
        DispatchMetrics.ObserveInFlight(() => admission.EventsInFlight);
        app.MapMetrics("/metrics");

        var access = app.Services.GetRequiredService<DashboardAccessOptions>();
        if (access.HasCredentials)
        {
            var auth = app.Services.GetRequiredService<DashboardBasicAuth>();
            app.UseWhen(context => context.Request.Path.StartsWithSegments("/dashboard"),
                branch => branch.Use((context, next) => auth.InvokeAsync(context, next)));
        }
        app.MapOrleansDashboard("/dashboard");
        return app;
    }

    // One line per check, so an operator sees which dependency is missing without reading logs.
    private static Task WriteReport(HttpContext context, HealthReport report)
    {
        var text = new StringBuilder(report.Status == HealthStatus.Healthy ? "ready\n" : "not ready\n");
        foreach (var (name, entry) in report.Entries)
        {
            text.Append(name).Append(": ").Append(entry.Status).Append(" (").Append(entry.Description).Append(")\n");
        }
        if (report.Entries.Count == 0)
        {
            text.Clear().Append("ok\n");
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text.ToString());
    }
}
