using System.Text.RegularExpressions;
using Events.Grains.Inputs;
using Events.Grains.Publishing;
using Events.Grains.Tables;
using Events.Streaming.RabbitMQ;
using Microsoft.Extensions.Options;

namespace Events.Silo.BrokerInputs;

/// <summary>
/// What the stream provider cannot know about the JSON inputs: that their stream key is a table and their streams
/// reach its sink. The provider validates the rest of each entry (queue, exchange, routing keys).
/// </summary>
internal sealed class BrokerInputsOptionsValidator(TableCatalog catalog) : IValidateOptions<BrokerInputsOptions>
{
    public ValidateOptionsResult Validate(string? name, BrokerInputsOptions options)
    {
        var problems = new List<string>();
        for (var i = 0; i < options.Inputs.Count; i++)
        {
            var input = options.Inputs[i];
            if (input.Decoder != BrokerInputsOptions.JsonDecoder) continue;
            var at = $"{BrokerInputsOptions.Section}:Inputs:{i}";
            if (!catalog.Contains(input.StreamKey))
            {
                problems.Add($"{at}:StreamKey '{input.StreamKey}' is not a table (known: {string.Join(", ", catalog.Tables.Select(t => t.Name))}).");
            }
            var firstStream = input.StreamNamespace.Replace(RabbitMqInputOptions.ShardPlaceholder, "0");
            if (!Regex.IsMatch(firstStream, SinkStreams.NamespacePattern))
            {
                problems.Add($"{at}:StreamNamespace '{input.StreamNamespace}' does not reach the sinks: use 'sink.{RabbitMqInputOptions.ShardPlaceholder}'.");
            }
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
