using System.Diagnostics.Metrics;

namespace Events.Api.Security;

/// <summary>Counters for what the front door refused or flagged (meter <c>Events.Api.Security</c>).</summary>
public sealed class SecurityMetrics : IDisposable
{
    public const string MeterName = "Events.Api.Security";
    private readonly Meter _meter = new(MeterName);

    public SecurityMetrics()
    {
        RefusedBatches = _meter.CreateCounter<long>("events.api.refused_batches", description: "gRPC batches refused, by status");
        OldEvents = _meter.CreateCounter<long>("events.api.old_events", description: "Stored events older than Events:Limits:OldEventAge");
        UnknownEvents = _meter.CreateCounter<long>("events.api.unknown_events", description: "Stored events without a known type");
        FutureEvents = _meter.CreateCounter<long>("events.api.future_events", description: "Stored gRPC events more than Events:Limits:ClockSkew ahead of server time (clamped and flagged)");
    }

    public Counter<long> RefusedBatches { get; }
    public Counter<long> OldEvents { get; }
    public Counter<long> UnknownEvents { get; }
    public Counter<long> FutureEvents { get; }

    public void Dispose() => _meter.Dispose();
}
