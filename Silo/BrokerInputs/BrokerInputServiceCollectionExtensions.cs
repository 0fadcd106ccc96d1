using Events.Grains.Inputs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Events.Streaming.RabbitMQ;
using Microsoft.Extensions.Options;

namespace Events.Silo.BrokerInputs;

internal static class BrokerInputServiceCollectionExtensions
{
    /// <summary>
    /// The JSON decoder the stream provider reads broker inputs with (<c>Events:RabbitMq:Inputs</c> entries whose
    /// Decoder is <c>json</c>), the checks of those entries against the tables, and the replay queue's decoder.
    /// </summary>
    public static IServiceCollection AddBrokerInputs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BrokerInputsOptions>().Bind(configuration.GetSection(BrokerInputsOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BrokerInputsOptions>, BrokerInputsOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddKeyedSingleton<IRabbitMqMessageDecoder, JsonInputDecoder>(BrokerInputsOptions.JsonDecoder);
        services.AddKeyedSingleton<IRabbitMqMessageDecoder, DeadLetterReplayDecoder>(DeadLetterReplayDecoder.Name);
        return services;
    }
}
