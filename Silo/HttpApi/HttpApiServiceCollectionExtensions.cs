using Events.Grains.Routing;
using Events.Grains.Sinks;
using Events.Grains.Tables;
using Microsoft.Extensions.Options;

namespace Events.Silo.HttpApi;

internal static class HttpApiServiceCollectionExtensions
{
    /// <summary>The writer of <see cref="SinkStore.HttpApi"/> pseudo-tables (the WebEngage API forwarder) and its options.</summary>
    public static IServiceCollection AddHttpApiSinks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HttpApiOptions>().Bind(configuration.GetSection(HttpApiOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HttpApiOptions>, HttpApiOptionsValidator>();
        services.AddSingleton<IPostConfigureOptions<RoutingOptions>, OmitUnconfiguredForwarders>();
        services.AddKeyedSingleton<ITableWriter, HttpApiTableWriter>(SinkStore.HttpApi);
        services.AddHostedService<HttpApiStartupReport>();
        return services;
    }
}
