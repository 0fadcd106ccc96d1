using Events.Grains.Publishing;
using Events.Grains.Routing;
using Events.Grains.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Events.Grains;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Registers what the worker and sink grains need: the table catalog, the routing table
    /// and the publisher, with options validated at start-up. The host adds an <c>ITableWriter</c>.
    /// </summary>
    public static IServiceCollection AddEventPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(new TableCatalog(AllTables.List));
        services.AddOptions<RoutingOptions>().Bind(configuration.GetSection(RoutingOptions.Section)).ValidateOnStart();
        services.AddOptions<PublisherOptions>().Bind(configuration.GetSection(PublisherOptions.Section)).ValidateOnStart();
        services.AddOptions<Sinks.SinkOptions>().Bind(configuration.GetSection(Sinks.SinkOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RoutingOptions>, PipelineOptionsValidator>();
        services.AddSingleton<IValidateOptions<PublisherOptions>, PipelineOptionsValidator>();
        services.AddSingleton<IValidateOptions<Sinks.SinkOptions>, PipelineOptionsValidator>();
        services.AddOptions<Sinks.SinkWatchdogOptions>().Bind(configuration.GetSection(Sinks.SinkWatchdogOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Sinks.SinkWatchdogOptions>, Sinks.SinkWatchdogOptionsValidator>();
        services.AddSingleton(sp => new RoutingTable(sp.GetRequiredService<IOptions<RoutingOptions>>().Value.Rules));
        services.AddSingleton<PublishMetrics>();
        services.AddSingleton<Sinks.SinkMetrics>();
        services.AddSingleton<SinkBatchCodec>();
        services.AddSingleton<ISinkStreamSender, StreamProviderSender>();
        services.AddSingleton<ITablePublisher, TablePublisher>();
        return services;
    }
}
