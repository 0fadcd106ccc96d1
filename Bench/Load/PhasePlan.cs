namespace Events.Bench.Load;

/// <summary>One load phase: closed loop when <see cref="Rate"/> is null, else open loop at that many events/s.</summary>
internal sealed record PhasePlan(string Name, TimeSpan Warmup, TimeSpan Duration, long? EventLimit, double? Rate);
