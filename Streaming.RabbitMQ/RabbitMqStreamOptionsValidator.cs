using Orleans;

namespace Events.Streaming.RabbitMQ;

/// <summary>Fails silo start-up with every problem in one message, naming the provider.</summary>
internal sealed class RabbitMqStreamOptionsValidator(RabbitMqStreamOptions options, string providerName) : IConfigurationValidator
{
    public void ValidateConfiguration()
    {
        var problems = options.Problems().ToList();
        if (problems.Count > 0)
        {
            throw new OrleansConfigurationException(
                $"RabbitMQ stream provider '{providerName}' is misconfigured: {string.Join(" ", problems)}");
        }
    }
}
