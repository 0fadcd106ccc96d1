using Events.Bench.Measure;

namespace Events.Bench;

/// <summary>The instruments' readings when a phase's measured window opened (the end of its warm-up).</summary>
internal sealed record WindowStart(
    long At,
    IReadOnlyDictionary<string, TableCounters> Tables,
    IReadOnlyDictionary<string, long> Counters,
    ProcessMark Processes,
    IReadOnlyDictionary<Uri, string?> Silos);
