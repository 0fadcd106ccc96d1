namespace Events.Tests.Faults;

/// <summary>
/// Fault tests stop and start shared services (RabbitMQ, ClickHouse) and load the machine: they run one at a
/// time, after and never beside the other tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultTestCollection
{
    public const string Name = "Fault tests";
}
