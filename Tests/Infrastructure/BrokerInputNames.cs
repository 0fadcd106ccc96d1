using System.Text.Json;

namespace Events.Tests.Infrastructure;

/// <summary>
/// The silo's broker inputs (<c>Events:RabbitMq:Inputs</c> in Silo/appsettings.json), renamed for one test pipeline:
/// its exchanges and queues get the pipeline's prefix, so test silos never read the shared default queues, and a
/// test plays the publishing service by sending to <see cref="Exchange"/>.
/// </summary>
public sealed class BrokerInputNames(string prefix)
{
    /// <summary>One configured input as the silo's appsettings.json has it.</summary>
    public sealed record Input(int Index, string Queue, string Exchange, IReadOnlyList<string> RoutingKeys, string Table);

    public static IReadOnlyList<Input> Configured { get; } = Read();

    /// <summary>The pipeline's name for a configured exchange (e.g. <c>identity.dx</c>).</summary>
    public string Exchange(string configured) => $"{prefix}.{configured}";

    /// <summary>The pipeline's name for a configured queue (e.g. <c>trace_log</c>).</summary>
    public string Queue(string configured) => $"{prefix}.{configured}";

    /// <summary>The configured input that feeds <paramref name="table"/>.</summary>
    public static Input For(string table) => Configured.Single(input => input.Table == table);

    /// <summary>Environment overrides that give every input the pipeline's names.</summary>
    public Dictionary<string, string> Environment() => Configured
        .SelectMany(input => new[]
        {
            KeyValuePair.Create($"Events__RabbitMq__Inputs__{input.Index}__Queue", Queue(input.Queue)),
            KeyValuePair.Create($"Events__RabbitMq__Inputs__{input.Index}__Exchange", Exchange(input.Exchange)),
        })
        .ToDictionary();

    /// <summary>Deletes the queues and exchanges the pipeline's silo declared.</summary>
    public Task DeleteAsync() => RabbitMqExchanges.DeleteAsync(
        Configured.Select(input => Queue(input.Queue)),
        Configured.Select(input => Exchange(input.Exchange)).Distinct());

    private static List<Input> Read()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "Silo", "appsettings.json")));
        if (!settings.RootElement.GetProperty("Events").GetProperty("RabbitMq").TryGetProperty("Inputs", out var inputs)) return [];
        return inputs.EnumerateArray().Select((input, index) => new Input(index,
            input.GetProperty("Queue").GetString()!,
            input.GetProperty("Exchange").GetString()!,
            [.. input.GetProperty("RoutingKeys").EnumerateArray().Select(key => key.GetString()!)],
            input.GetProperty("StreamKey").GetString()!)).ToList();
    }
}
