using Events.Grains.Sinks;

namespace Events.Silo.ClickHouse;

internal static class ClickHouseServiceCollectionExtensions
{
    public static IServiceCollection AddClickHouseSinks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClickHouseOptions>().Bind(configuration.GetSection(ClickHouseOptions.Section)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ClickHouseOptions>, ClickHouseOptionsValidator>();
        // One pooled HttpClient for every ClickHouse call: connections are reused across inserts.
        services.AddSingleton(_ => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        });
        services.AddSingleton<ClickHouseSchema>();
        services.AddSingleton<ITableWriter, ClickHouseTableWriter>();
        services.AddHostedService<SchemaStartupService>();
        return services;
    }
}
