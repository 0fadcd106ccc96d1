namespace Events.Bench.Measure;

/// <summary>One process over a window: cores it kept busy on average, its peak resident memory then, and its lifetime peak.</summary>
internal sealed record ProcessFigures(int? Pid, double? CpuCores, double? PeakRssMb, double? LifetimePeakRssMb);
