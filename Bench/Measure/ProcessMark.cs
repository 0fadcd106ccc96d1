namespace Events.Bench.Measure;

/// <summary>CPU ticks of each measured process and of the whole machine at one moment.</summary>
internal sealed record ProcessMark(long At, IReadOnlyDictionary<string, long?> Cpu, MachineCpu Machine);
