namespace Events.Bench.Measure;

/// <summary>What a table received over a window.</summary>
internal sealed record TableInsertFigures(long Inserts, long Rows, double? RowsPerInsert, double? InsertsPerSec, double? RowsPerSec);
