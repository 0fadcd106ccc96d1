using System.Text.Json;
using Events.Tests.Infrastructure;

namespace Events.Tests.BrokerInputs;

/// <summary>
/// The pipeline (silo and Api processes on the real services) with its broker inputs under names of its own.
/// The inputs whose dedup the tests check read one stream each: a later message stored then proves the earlier ones were.
/// </summary>
public sealed class BrokerInputFixture : IAsyncLifetime
{
    public static readonly string[] SingleStreamTables = ["trace_log", "user_account"];

    public PipelineFixture Pipeline { get; } = new();

    public BrokerInputNames Inputs => Pipeline.Inputs;

    public string DeadLetterQueue => RabbitMqQueues.DeadLetterQueue(Pipeline.QueuePrefix);

    public async ValueTask InitializeAsync()
    {
        await PostgresQuery.RequireAsync();
        foreach (var table in SingleStreamTables)
        {
            Pipeline.SiloEnvironment[$"Events__RabbitMq__Inputs__{BrokerInputNames.For(table).Index}__Streams"] = "1";
        }
        await Pipeline.InitializeAsync();
    }

    /// <summary>Publishes <paramref name="json"/> as the service behind <paramref name="table"/>'s input would.</summary>
    public Task PublishAsync(string table, string json, string? routingKey = null)
    {
        var input = BrokerInputNames.For(table);
        return RabbitMqExchanges.PublishAsync(Inputs.Exchange(input.Exchange), routingKey ?? input.RoutingKeys[0], json);
    }

    /// <summary>Rows of a ClickHouse table (deduplicated with FINAL) once at least <paramref name="expected"/> match.</summary>
    public Task<List<JsonElement>> RowsAsync(string table, string where, int expected = 1) =>
        Pipeline.WaitForRowsAsync(table, where, expected);

    /// <summary>The dead letters that came from <paramref name="table"/>'s input queue, once there are <paramref name="expected"/>.</summary>
    public Task<List<RabbitMqExchanges.Message>> DeadLettersAsync(string table, Func<RabbitMqExchanges.Message, bool> match, int expected = 1)
    {
        var queue = Inputs.Queue(BrokerInputNames.For(table).Queue);
        return Eventually.Until(
            async () => (await RabbitMqExchanges.PeekAsync(DeadLetterQueue)).Where(m => m.Headers.GetValueOrDefault("x-events-queue") == queue && match(m)).ToList(),
            letters => letters.Count >= expected, TimeSpan.FromSeconds(60),
            letters => $"expected {expected} dead letters from {queue}, found {letters.Count}\n{Pipeline.Logs()}");
    }

    public ValueTask DisposeAsync() => Pipeline.DisposeAsync();
}
