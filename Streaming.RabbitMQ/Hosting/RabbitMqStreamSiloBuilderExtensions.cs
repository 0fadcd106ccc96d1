using Orleans.Hosting;

namespace Events.Streaming.RabbitMQ;

public static class RabbitMqStreamSiloBuilderExtensions
{
    /// <summary>Adds a persistent stream provider named <paramref name="name"/> whose queues live in RabbitMQ.</summary>
    public static ISiloBuilder AddRabbitMqStreams(this ISiloBuilder builder, string name,
        Action<SiloRabbitMqStreamConfigurator>? configure = null)
    {
        var configurator = new SiloRabbitMqStreamConfigurator(name, services => builder.ConfigureServices(services));
        configure?.Invoke(configurator);
        return builder;
    }

    /// <summary>Adds the provider with options set in code.</summary>
    public static ISiloBuilder AddRabbitMqStreams(this ISiloBuilder builder, string name, Action<RabbitMqStreamOptions> configureOptions) =>
        builder.AddRabbitMqStreams(name, streams => streams.ConfigureRabbitMq(options => options.Configure(configureOptions)));
}
