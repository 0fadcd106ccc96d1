namespace Events.Bench.Measure;

/// <summary>Whole-machine CPU ticks from /proc/stat: busy (not idle, not waiting for I/O) and total.</summary>
internal sealed record MachineCpu(long Busy, long Total);
