namespace Events.Bench.Measure;

/// <summary>A table's highest block number (one per inserted part) and its rows, at one moment.</summary>
internal sealed record TableCounters(long Blocks, long Rows);
