namespace Events.Api.Operations;

/// <summary>A service the pipeline needs, as readiness probes it.</summary>
internal sealed record ServiceEndpoint(string Name, string Host, int Port)
{
    public override string ToString() => $"{Name} {Host}:{Port}";
}
