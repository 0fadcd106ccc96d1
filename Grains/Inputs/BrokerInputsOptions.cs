namespace Events.Grains.Inputs;

/// <summary>The broker inputs as the JSON decoder sees them, bound from <c>Events:RabbitMq</c> (its <c>Inputs</c> list).</summary>
public sealed class BrokerInputsOptions
{
    public const string Section = "Events:RabbitMq";

    /// <summary>The decoder name inputs read by <see cref="JsonMessageMapper"/> give.</summary>
    public const string JsonDecoder = "json";

    public List<JsonInputOptions> Inputs { get; set; } = [];
}
