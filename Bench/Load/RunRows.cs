using Events.Bench.Measure;

namespace Events.Bench.Load;

/// <summary>
/// Deletes a run's rows once it is measured, so that benchmarking a live system leaves no synthetic events in its
/// analytics. Every event of a run carries one of the run's device ids (<see cref="BatchFactory"/>), and every table
/// fed by client events has the header's <c>device_id</c> column, so one lightweight DELETE per such table finds them
/// wherever the cluster routed them.
/// </summary>
internal static class RunRows
{
    /// <summary>Rows deleted per table (tables without any of the run's rows are left out).</summary>
    public static async Task<IReadOnlyDictionary<string, long>> RemoveAsync(ClickHouseHttp clickHouse, string database, string runId,
        CancellationToken cancellationToken)
    {
        var tables = await clickHouse.RowsAsync(
            $"SELECT table FROM system.columns WHERE database = {ClickHouseHttp.Quote(database)} AND name = 'device_id' ORDER BY table",
            cancellationToken);
        var removed = new Dictionary<string, long>(StringComparer.Ordinal);
        var runRows = $"startsWith(device_id, {ClickHouseHttp.Quote(BatchFactory.DevicePrefix(runId))})";
        foreach (var table in tables.Select(row => row[0]))
        {
            var name = $"`{database}`.`{table}`";
            var rows = await clickHouse.ScalarAsync($"SELECT count() FROM {name} WHERE {runRows}", cancellationToken);
            if (rows == 0) continue;
            await clickHouse.QueryAsync($"DELETE FROM {name} WHERE {runRows}", cancellationToken);
            removed[table] = rows;
        }
        return removed;
    }
}
