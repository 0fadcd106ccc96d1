using System.Diagnostics;
using Events.Grains.Sinks;
using Events.Grains.Tables;

namespace Events.Silo.Sinks;

/// <summary>
/// Hands each table's rows to the writer of the store the table lives in (keyed by <see cref="SinkStore"/>), and
/// measures every insert here, at the one place all of them pass: rows, duration, failures by class.
/// </summary>
internal sealed class TableWriterRouter(IServiceProvider services, SinkMetrics metrics) : ITableWriter
{
    public Task WriteAsync(TableSchema table, IReadOnlyList<object[]> rows, CancellationToken cancellationToken) =>
        MeasureAsync(table, rows.Count, writer => writer.WriteAsync(table, rows, cancellationToken));

    public EncodedRows? Encode(TableSchema table, IEnumerable<object[]> rows) => WriterOf(table).Encode(table, rows);

    public Task WriteEncodedAsync(TableSchema table, IReadOnlyList<EncodedRows> parts, CancellationToken cancellationToken) =>
        MeasureAsync(table, parts.Sum(p => p.Rows), writer => writer.WriteEncodedAsync(table, parts, cancellationToken));

    private async Task MeasureAsync(TableSchema table, int rows, Func<ITableWriter, Task> write)
    {
        var store = StoreLabel(table.Store);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await write(WriterOf(table));
        }
        catch (Exception ex)
        {
            metrics.InsertFailed(store, table.Name, InsertErrors.ClassOf(ex), Stopwatch.GetElapsedTime(started));
            throw;
        }
        metrics.InsertSucceeded(store, table.Name, rows, Stopwatch.GetElapsedTime(started));
    }

    private ITableWriter WriterOf(TableSchema table) => services.GetRequiredKeyedService<ITableWriter>(table.Store);

    private static string StoreLabel(SinkStore store) => store switch
    {
        SinkStore.ClickHouse => "clickhouse",
        SinkStore.PostgreSql => "postgres",
        SinkStore.HttpApi => "http",
        _ => store.ToString().ToLowerInvariant(),
    };
}
