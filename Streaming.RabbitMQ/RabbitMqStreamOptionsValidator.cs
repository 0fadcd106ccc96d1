using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace Events.Streaming.RabbitMQ;

/// <summary>Fails silo start-up with every problem in one message, naming the provider.</summary>
internal sealed class RabbitMqStreamOptionsValidator(RabbitMqStreamOptions options, string providerName, IServiceProvider? services = null)
    : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        var problems = options.Problems().Concat(MissingDecoders()).ToList();
        if (problems.Count > 0)
        {
            throw new OrleansConfigurationException(
                $"RabbitMQ stream provider '{providerName}' is misconfigured: {string.Join(" ", problems)}");
        }
    }

    private IEnumerable<string> MissingDecoders()
    {
        if (services is null) yield break;
        for (var i = 0; i < options.Inputs.Count; i++)
        {
            var decoder = options.Inputs[i].Decoder;
            if (!string.IsNullOrWhiteSpace(decoder) && services.GetKeyedService<IRabbitMqMessageDecoder>(decoder) is null)
            {
                yield return $"Inputs:{i}:Decoder '{decoder}' is not registered (a keyed {nameof(IRabbitMqMessageDecoder)} service).";
            }
        }
    }
}
