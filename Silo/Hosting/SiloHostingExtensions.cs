using System.Net;
using Events.Grains;
using Events.Grains.Publishing;
using Events.Grains.Sinks;
using Events.Silo.BrokerInputs;
using Events.Silo.ClickHouse;
using Events.Silo.HttpApi;
using Events.Silo.Metrics;
using Events.Silo.Postgres;
using Events.Silo.Sinks;
using Events.Streaming.RabbitMQ;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using StackExchange.Redis;

namespace Events.Silo.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>
    /// The whole silo: its <c>/metrics</c>, cluster membership, the RabbitMQ streams, the grains' services and the
    /// ClickHouse sinks. The silo's own process and an Api hosting it (<c>Events:Api:HostSilo</c>) both call only this.
    /// </summary>
    public static IHostApplicationBuilder AddEventsSilo(this IHostApplicationBuilder builder)
    {
        builder.AddEventsMetrics();
        var configuration = builder.Configuration;
        var cluster = configuration.GetSection(SiloClusterOptions.Section).Get<SiloClusterOptions>() ?? new();
        var problems = cluster.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid configuration: " + string.Join(" ", problems));
        }

        builder.Services.AddEventPipeline(configuration);
        builder.Services.AddSinkWriters();
        builder.Services.AddClickHouseSinks(configuration);
        builder.Services.AddHttpApiSinks(configuration);
        builder.Services.AddPostgresSinks(configuration);
        builder.Services.AddBrokerInputs(configuration);
        builder.UseOrleans(silo =>
        {
            silo.UseCluster(cluster);
            silo.UseSinkReminders(cluster);
            silo.AddRabbitMqStreams(SinkStreams.ProviderName, streams =>
            {
                streams.ConfigureRabbitMq(options => options.Bind(configuration.GetSection("Events:RabbitMq")).PostConfigure(ReplayInput.AddTo));
                // Sinks subscribe implicitly by stream namespace: no pub-sub store needed.
                streams.ConfigureStreamPubSub(Orleans.Streams.StreamPubSubType.ImplicitOnly);
                streams.ConfigurePullingAgent(agent => agent.Configure<IOptions<SinkOptions>>(
                    (options, sink) => options.BatchContainerBatchSize = sink.Value.MessagesPerDelivery));
            });
            silo.AddDashboard();
        });
        return builder;
    }

    private static void UseCluster(this ISiloBuilder silo, SiloClusterOptions cluster)
    {
        if (cluster.Provider == "Redis")
        {
            silo.UseRedisClustering(options => options.ConfigurationOptions = ConfigurationOptions.Parse(cluster.RedisConnectionString));
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = cluster.ClusterId;
                options.ServiceId = cluster.ServiceId;
            });
            if (cluster.AdvertisedAddress.Length == 0)
            {
                silo.ConfigureEndpoints(cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
            }
            else
            {
                silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
            }
        }
        else
        {
            silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort,
                new IPEndPoint(IPAddress.Loopback, cluster.PrimarySiloPort), cluster.ServiceId, cluster.ClusterId);
        }
    }
}
