using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Internal;
using Orleans.Runtime.Providers;

namespace Events.Streaming.RabbitMQ;

/// <summary>Configures one RabbitMQ-backed persistent stream provider on a silo.</summary>
public sealed class SiloRabbitMqStreamConfigurator : SiloPersistentStreamConfigurator
{
    public SiloRabbitMqStreamConfigurator(string name, Action<Action<IServiceCollection>> configureServicesDelegate)
        : base(name, configureServicesDelegate, RabbitMqAdapterFactory.Create)
    {
        ConfigureDelegate(services => services
            .AddKeyedSingleton(name, (provider, _) => new RabbitMqClient(name,
                provider.GetOptionsByName<RabbitMqStreamOptions>(name), provider.GetRequiredService<ILoggerFactory>(),
                provider.GetService<System.Diagnostics.Metrics.IMeterFactory>()))
            .AddKeyedSingleton(name, (provider, key) => new RabbitMqDeadLetterPublisher(
                provider.GetRequiredKeyedService<RabbitMqClient>(key).Publisher))
            .AddTransient<IConfigurationValidator>(provider => new RabbitMqStreamOptionsValidator(
                provider.GetRequiredService<IOptionsMonitor<RabbitMqStreamOptions>>().Get(name), name, provider)));
        // A failing delivery is a consumer that cannot store its data yet (a database outage, say): keep retrying it,
        // a few seconds apart at most, instead of Orleans' default of skipping it after a minute. The message stays
        // unacknowledged in RabbitMQ meanwhile, and the full cache stops the queue being read (backpressure).
        this.ConfigurePullingAgent(pullingAgent => pullingAgent.Configure(options => options.MaxEventDeliveryTime = TimeSpan.FromDays(7)));
        this.ConfigureBackoffProvider((_, _) => DeliveryBackoff);
    }

    private static readonly IMessageDeliveryBackoffProvider DeliveryBackoff = new CappedDoublingBackoff();

    /// <summary>100 ms, 200 ms, 400 ms … up to 5 s between attempts to deliver one message.</summary>
    private sealed class CappedDoublingBackoff : IMessageDeliveryBackoffProvider
    {
        public TimeSpan Next(int attempt) => TimeSpan.FromMilliseconds(Math.Min(100 * Math.Pow(2, Math.Max(attempt - 1, 0)), 5000));
    }

    public SiloRabbitMqStreamConfigurator ConfigureRabbitMq(Action<OptionsBuilder<RabbitMqStreamOptions>> configureOptions)
    {
        this.Configure(configureOptions);
        return this;
    }
}
