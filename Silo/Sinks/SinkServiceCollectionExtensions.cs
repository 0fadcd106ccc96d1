using Events.Grains.Sinks;

namespace Events.Silo.Sinks;

internal static class SinkServiceCollectionExtensions
{
    /// <summary>What the sink grains write through: the per-store writer router and the dead-letter queue.</summary>
    public static IServiceCollection AddSinkWriters(this IServiceCollection services)
    {
        services.AddSingleton<ITableWriter, TableWriterRouter>();
        services.AddSingleton<IDeadLetterSink, DeadLetters.RabbitMqDeadLetterSink>();
        return services;
    }
}
