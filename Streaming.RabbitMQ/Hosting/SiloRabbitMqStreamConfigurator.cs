using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;

namespace Events.Streaming.RabbitMQ;

/// <summary>Configures one RabbitMQ-backed persistent stream provider on a silo.</summary>
public sealed class SiloRabbitMqStreamConfigurator : SiloPersistentStreamConfigurator
{
    public SiloRabbitMqStreamConfigurator(string name, Action<Action<IServiceCollection>> configureServicesDelegate)
        : base(name, configureServicesDelegate, RabbitMqAdapterFactory.Create)
    {
        ConfigureDelegate(services => services
            .AddKeyedSingleton(name, (provider, _) => new RabbitMqClient(name,
                provider.GetOptionsByName<RabbitMqStreamOptions>(name), provider.GetRequiredService<ILoggerFactory>()))
            .AddTransient<IConfigurationValidator>(provider => new RabbitMqStreamOptionsValidator(
                provider.GetRequiredService<IOptionsMonitor<RabbitMqStreamOptions>>().Get(name), name)));
    }

    public SiloRabbitMqStreamConfigurator ConfigureRabbitMq(Action<OptionsBuilder<RabbitMqStreamOptions>> configureOptions)
    {
        this.Configure(configureOptions);
        return this;
    }
}
