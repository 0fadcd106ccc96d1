using System.Net;
using Events.Api.Dispatch;
using Events.Api.Operations;
using Events.Api.Security;
using Events.Api.Webhooks;
using Events.Silo.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Events.Api.Hosting;

public static class ApiHostingExtensions
{
    /// <summary>The silo's <c>appsettings.json</c>, copied next to the Api's under this name (Api.csproj).</summary>
    public const string SiloSettingsFile = "silo.appsettings.json";

    /// <summary>Kestrel's two ports, the Orleans client (or the silo itself), gRPC, the webhooks and the dispatch pipeline.</summary>
    public static WebApplicationBuilder AddEventsApi(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var api = configuration.GetSection(ApiOptions.Section).Get<ApiOptions>() ?? new();
        var cluster = configuration.GetSection(ClientClusterOptions.Section).Get<ClientClusterOptions>() ?? new();
        var (certificate, tlsProblem) = api.Tls.Load(TimeProvider.System);
        var problems = api.Problems().Concat(cluster.Problems()).Concat(tlsProblem is null ? [] : [tlsProblem]).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid configuration: " + string.Join(" ", problems));
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var address = IPAddress.Parse(api.ListenAddress);
            // gRPC needs HTTP/2 only: without TLS clients speak prior-knowledge h2c, with TLS they negotiate h2 (ALPN).
            kestrel.Listen(address, api.GrpcPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                UseTls(listen, certificate);
            });
            kestrel.Listen(address, api.HttpPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                UseTls(listen, certificate);
            });
        });

        if (api.HostSilo)
        {
            HostSilo(builder);
        }
        else
        {
            UseCluster(builder, cluster);
        }

        builder.Services.AddGrpc();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<EventGrouper>();
        builder.Services.AddSingleton<EventWorkers>();
        builder.Services.AddSingleton<DispatchAdmission>();
        builder.Services.AddSingleton<GroupPublisher>();
        builder.Services.AddOptions<DispatchOptions>()
            .Bind(configuration.GetSection(DispatchOptions.Section))
            .Validate(o => o.PublishTimeout > TimeSpan.Zero, "Events:Dispatch:PublishTimeout must be positive.")
            .Validate<IOptions<LimitsOptions>>((o, limits) => o.MaxEventsInFlight >= limits.Value.MaxEventsPerBatch,
                "Events:Dispatch:MaxEventsInFlight must be at least Events:Limits:MaxEventsPerBatch, or a full batch could never be admitted.")
            .ValidateOnStart();
        builder.Services.AddWebhooks(configuration);
        builder.AddEventsOperations();
        builder.AddEventsSecurity();
        return builder;
    }

    /// <summary>
    /// The silo in this process (<see cref="ApiOptions.HostSilo"/>): grain calls to the stateless workers stay in
    /// memory, with no serialization, socket or second runtime between the front door and the publish (BENCHMARKS.md,
    /// "The Api and the silo in one process"). The silo's settings file is read after the Api's, so for the sections
    /// both have (the cluster, the services' addresses) the silo's values apply; environment variables still win.
    /// </summary>
    private static void HostSilo(WebApplicationBuilder builder)
    {
        var sources = builder.Configuration.Sources;
        var apiFiles = sources.OfType<JsonConfigurationSource>().LastOrDefault(s => s.Path?.StartsWith("appsettings", StringComparison.Ordinal) == true);
        var silo = new JsonConfigurationSource { Path = Path.Combine(AppContext.BaseDirectory, SiloSettingsFile), Optional = false };
        silo.ResolveFileProvider();
        sources.Insert(apiFiles is null ? 0 : sources.IndexOf(apiFiles) + 1, silo);
        builder.AddEventsSilo();
    }

    /// <summary>The Orleans client of a front end in a process of its own: it reaches the silos through their gateways.</summary>
    private static void UseCluster(WebApplicationBuilder builder, ClientClusterOptions cluster)
    {
        builder.UseOrleansClient(client =>
        {
            if (cluster.Provider == "Redis")
            {
                client.UseRedisClustering(options => options.ConfigurationOptions = ConfigurationOptions.Parse(cluster.RedisConnectionString));
                client.Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = cluster.ClusterId;
                    options.ServiceId = cluster.ServiceId;
                });
            }
            else
            {
                client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.ClusterId);
            }
            client.UseConnectionRetryFilter<RetryUntilStopped>();
            client.AddEventsDashboard();
        });
    }

    private static void UseTls(ListenOptions listen, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate)
    {
        if (certificate is not null)
        {
            listen.UseHttps(certificate);
        }
    }

    /// <summary>The gRPC service, the webhooks, and health, drain, metrics and the dashboard.</summary>
    public static WebApplication MapEventsApi(this WebApplication app)
    {
        app.UseEventsSecurity();
        app.MapGrpcService<EventService>();
        app.MapWebhooks();
        app.MapEventsOperations();
        return app;
    }
}
