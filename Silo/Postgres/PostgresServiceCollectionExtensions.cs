using Events.Grains.Sinks;
using Events.Grains.Tables;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Events.Silo.Postgres;

internal static class PostgresServiceCollectionExtensions
{
    /// <summary>The writer of <see cref="SinkStore.PostgreSql"/> tables, its options and the start-up schema creation.</summary>
    public static IServiceCollection AddPostgresSinks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PostgresOptions>().Bind(configuration.GetSection(PostgresOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PostgresOptions>, PostgresOptionsValidator>();
        // One pooled data source for every PostgreSQL call; disposed with the host.
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<PostgresOptions>>().Value;
            var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
            builder.ConnectionStringBuilder.CommandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
            return builder.Build();
        });
        services.AddSingleton<PostgresSchema>();
        services.AddKeyedSingleton<ITableWriter, PostgresTableWriter>(SinkStore.PostgreSql);
        services.AddHostedService<PostgresSchemaStartupService>();
        return services;
    }
}
