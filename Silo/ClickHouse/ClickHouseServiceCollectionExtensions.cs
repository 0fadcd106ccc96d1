using ClickHouse.Driver;
using Microsoft.Extensions.Options;
using Events.Grains.Sinks;
using Events.Grains.Tables;

namespace Events.Silo.ClickHouse;

internal static class ClickHouseServiceCollectionExtensions
{
    public static IServiceCollection AddClickHouseSinks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClickHouseOptions>().Bind(configuration.GetSection(ClickHouseOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ClickHouseOptions>, ClickHouseOptionsValidator>();
        // One thread-safe client for every ClickHouse call: it pools HTTP connections across inserts.
        services.AddSingleton(provider =>
            new ClickHouseClient(provider.GetRequiredService<IOptions<ClickHouseOptions>>().Value.ConnectionString));
        services.AddSingleton<ClickHouseSchema>();
        services.AddKeyedSingleton<ITableWriter, ClickHouseTableWriter>(SinkStore.ClickHouse);
        services.AddHostedService<SchemaStartupService>();
        return services;
    }
}
