using Events.Grains.Inputs;
using Events.Grains.Tables;
using Events.Silo.BrokerInputs;
using Microsoft.Extensions.Configuration;

namespace Events.Tests.BrokerInputs;

public sealed class BrokerInputsOptionsValidatorTests
{
    private static readonly BrokerInputsOptionsValidator Validator = new(new TableCatalog(AllTables.List));

    [Fact]
    public void TheSilosConfiguredInputs_AreValid()
    {
        var options = new ConfigurationBuilder().AddJsonFile(Path.Combine(Infrastructure.RepoPaths.Root, "Silo", "appsettings.json")).Build()
            .GetSection(BrokerInputsOptions.Section).Get<BrokerInputsOptions>()!;

        Assert.Equal(14, options.Inputs.Count);
        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void AJsonInputWhoseStreamsMissATableOrItsSink_IsNamedWithEveryProblem()
    {
        var options = new BrokerInputsOptions
        {
            Inputs =
            [
                new() { Queue = "a", Decoder = "json", StreamKey = "trace_logs", StreamNamespace = "sink.{shard}" },
                new() { Queue = "b", Decoder = "json", StreamKey = "trace_log", StreamNamespace = "inputs.{shard}" },
                new() { Queue = "c", Decoder = "other", StreamKey = "anything", StreamNamespace = "anywhere" },
            ],
        };

        var failures = Validator.Validate(null, options).Failures!.ToList();

        Assert.Equal(2, failures.Count);
        Assert.StartsWith("Events:RabbitMq:Inputs:0:StreamKey 'trace_logs' is not a table", failures[0]);
        Assert.Equal("Events:RabbitMq:Inputs:1:StreamNamespace 'inputs.{shard}' does not reach the sinks: use 'sink.{shard}'.", failures[1]);
    }
}
