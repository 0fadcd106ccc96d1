using System.Diagnostics;
using System.Net.Http.Headers;
using Events.Bench.Load;
using Events.Bench.Measure;
using HdrHistogram;

namespace Events.Bench.References;

/// <summary>
/// (c) What a user could do instead of running our service: many clients posting their small batches straight to
/// ClickHouse over HTTP as JSONEachRow with async_insert=1, wait_for_async_insert=1 (the server batches them,
/// and answers once they are written), into a scratch copy of the table. optimize_on_insert=0 as the cluster's sink
/// inserts, so the comparison is of the path, not of that setting.
/// </summary>
internal static class AsyncInsertReference
{
    public const string Name = "async_insert";

    public static async Task<ReferenceResult> RunAsync(BenchOptions options, BatchFactory batches, string runId)
    {
        var what = $"{options.AsyncClients} HTTP clients, {options.AsyncBatch} rows per insert, JSONEachRow, async_insert=1, wait_for_async_insert=1, optimize_on_insert=0";
        try
        {
            using var clickHouse = new ClickHouseHttp(options.ClickHouse, options.AsyncClients);
            await using var table = await ScratchTable.CreateAsync(clickHouse, options.Database, options.Table, $"bench_async_{runId}");
            var rows = new EventRows(batches.Kinds, table.Columns);
            var bodies = Enumerable.Range(0, 64).Select(_ => Body(rows, batches, options.AsyncBatch)).ToArray();
            var sql = $"INSERT INTO {table.Qualified} ({string.Join(",", rows.Columns)}) " +
                      "SETTINGS async_insert=1, wait_for_async_insert=1, optimize_on_insert=0 FORMAT JSONEachRow";
            var latency = new LongConcurrentHistogram(1, 600_000_000, 3);
            long written = 0, failures = 0;
            string? lastError = null;
            var start = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, options.AsyncClients).Select(client => Task.Run(async () =>
            {
                for (var i = client; Stopwatch.GetElapsedTime(start) < options.ReferenceDuration; i++)
                {
                    var before = Stopwatch.GetTimestamp();
                    try
                    {
                        var content = new ByteArrayContent(bodies[i % bodies.Length]);
                        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                        await clickHouse.InsertAsync(sql, content);
                        Interlocked.Add(ref written, options.AsyncBatch);
                        latency.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(before).TotalMicroseconds));
                    }
                    catch (Exception ex) when (ex is HttpRequestException or ClickHouseHttpException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref failures);
                        lastError = ex.Message;
                    }
                }
            })));
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            return ReferenceResult.RowsWritten(Name, what, seconds, written, latency, new Dictionary<string, object?>
            {
                ["inserts"] = latency.TotalCount,
                ["rows_left_after_merges"] = await table.RowsAsync(),
                ["last_error"] = lastError,
                ["columns_defaulted"] = rows.Defaulted,
            }) with { Failures = failures };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return ReferenceResult.Failed(Name, what, ex);
        }
    }

    private static byte[] Body(EventRows rows, BatchFactory batches, int count)
    {
        using var body = new MemoryStream();
        var written = 0;
        while (written < count)
        {
            var batch = batches.Create(0);
            var take = Math.Min(batch.Count, count - written);
            var message = new Protos.Events { Header = batch.Message.Header };
            message.Events_.Add(batch.Message.Events_.Take(take));
            body.Write(rows.JsonEachRow(batch with { Message = message }));
            written += take;
        }
        return body.ToArray();
    }
}
