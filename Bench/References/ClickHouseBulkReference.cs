using System.Diagnostics;
using ClickHouse.Driver;
using ClickHouse.Driver.ADO;
using Events.Bench.Load;
using Events.Bench.Measure;
using HdrHistogram;

namespace Events.Bench.References;

/// <summary>
/// (a) The raw ClickHouse bulk-insert ceiling: ClickHouse.Driver's InsertBinaryAsync (RowBinary, as the cluster's
/// sink writes) of large batches of the same rows, one after another, into a scratch copy of the table, with the
/// cluster's insert setting optimize_on_insert=0.
/// Synchronous inserts (async_insert=0): the batch is already large, so the server-side buffer could only add wait.
/// </summary>
internal static class ClickHouseBulkReference
{
    public const string Name = "clickhouse_bulk";

    public static async Task<ReferenceResult> RunAsync(BenchOptions options, ClickHouseHttp clickHouse, BatchFactory batches, string runId)
    {
        var what = $"ClickHouse.Driver InsertBinaryAsync, {options.BulkBatch:N0} rows per insert, one at a time, async_insert=0";
        try
        {
            await using var table = await ScratchTable.CreateAsync(clickHouse, options.Database, options.Table, $"bench_bulk_{runId}");
            var rows = new EventRows(batches.Kinds, table.Columns);
            var pool = new List<object[]>(options.BulkBatch);
            while (pool.Count < options.BulkBatch)
            {
                pool.AddRange(rows.Rows(batches.Create(0)).Take(options.BulkBatch - pool.Count));
            }
            var settings = new ClickHouseClientSettings($"Host={clickHouse.Server.Host};Port={clickHouse.Server.Port};Database={options.Database}")
            {
                Timeout = TimeSpan.FromSeconds(120),
            };
            using var client = new ClickHouseClient(settings);
            var insert = new InsertOptions
            {
                BatchSize = pool.Count,
                MaxDegreeOfParallelism = 1,
                // optimize_on_insert as the cluster inserts, so the ceiling is taken on the same work per row.
                CustomSettings = new Dictionary<string, object> { ["async_insert"] = 0, ["optimize_on_insert"] = 0 },
            };
            var latency = new LongHistogram(1, 600_000_000, 3);
            long written = 0;
            var start = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(start) < options.ReferenceDuration)
            {
                var before = Stopwatch.GetTimestamp();
                written += await client.InsertBinaryAsync(table.Qualified, rows.Columns, pool, insert);
                latency.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(before).TotalMicroseconds));
            }
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            return ReferenceResult.RowsWritten(Name, what, seconds, written, latency, new Dictionary<string, object?>
            {
                ["inserts"] = latency.TotalCount,
                ["rows_per_insert"] = pool.Count,
                ["rows_left_after_merges"] = await table.RowsAsync(),
                ["columns_defaulted"] = rows.Defaulted,
            });
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return ReferenceResult.Failed(Name, what, ex);
        }
    }
}
