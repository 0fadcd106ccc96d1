using System.Globalization;

namespace Events.Bench.Measure;

/// <summary>
/// Inserts and rows per table, from ClickHouse's own metadata. This chDB-based server keeps no system.query_log or
/// system.part_log, and drops replaced parts at once (old_parts_lifetime 0), so: every insert into a MergeTree takes
/// a new block number per partition it writes, and merged parts keep the highest one, so the growth of
/// max(max_block_number) counts the parts inserts wrote; the growth of the active parts' rows counts the rows
/// (exact unless a merge collapses duplicates meanwhile). Metadata only: cheap enough to read every second.
/// </summary>
internal sealed class TableInserts(ClickHouseHttp clickHouse, string database)
{
    public Task<IReadOnlyDictionary<string, TableCounters>> SnapshotAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(null, cancellationToken);

    /// <summary>
    /// Highest block number of <paramref name="table"/>, or 0 when it has no parts: inserts raise it, merges do not.
    /// </summary>
    public async Task<long> BlocksAsync(string table, CancellationToken cancellationToken = default) =>
        (await ReadAsync(table, cancellationToken)).GetValueOrDefault(table)?.Blocks ?? 0;

    private async Task<IReadOnlyDictionary<string, TableCounters>> ReadAsync(string? table, CancellationToken cancellationToken)
    {
        var onlyTable = table is null ? "" : $"AND table = {ClickHouseHttp.Quote(table)} ";
        var rows = await clickHouse.RowsAsync(
            $"SELECT table, max(max_block_number), sum(rows) FROM system.parts WHERE database = {ClickHouseHttp.Quote(database)} " +
            $"{onlyTable}AND active GROUP BY table", cancellationToken);
        return rows.ToDictionary(r => r[0], r => new TableCounters(Long(r[1]), Long(r[2])), StringComparer.Ordinal);
    }

    /// <summary>Rows of <paramref name="table"/> now, or 0 when it has no parts (yet).</summary>
    public async Task<long> RowsAsync(string table, CancellationToken cancellationToken = default) =>
        (await SnapshotAsync(cancellationToken)).GetValueOrDefault(table)?.Rows ?? 0;

    /// <summary>Per table that grew between the snapshots: inserts, rows, rows per insert, inserts per second.</summary>
    public static IReadOnlyDictionary<string, TableInsertFigures> Between(
        IReadOnlyDictionary<string, TableCounters> before, IReadOnlyDictionary<string, TableCounters> after, double seconds)
    {
        var figures = new SortedDictionary<string, TableInsertFigures>(StringComparer.Ordinal);
        foreach (var (table, end) in after)
        {
            var start = before.GetValueOrDefault(table) ?? new TableCounters(0, 0);
            var inserts = end.Blocks - start.Blocks;
            var rows = end.Rows - start.Rows;
            if (inserts <= 0 && rows <= 0) continue;
            figures[table] = new TableInsertFigures(inserts, rows,
                inserts > 0 ? Math.Round((double)rows / inserts, 1) : null,
                seconds > 0 ? Math.Round(inserts / seconds, 2) : null,
                seconds > 0 ? Math.Round(rows / seconds, 0) : null);
        }
        return figures;
    }

    private static long Long(string value) => long.Parse(value, CultureInfo.InvariantCulture);
}
