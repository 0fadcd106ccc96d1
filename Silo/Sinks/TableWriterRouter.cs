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
    public async Task WriteAsync(TableSchema table, IReadOnlyList<object[]> rows, CancellationToken cancellationToken)
    {
        var store = StoreLabel(table.Store);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await services.GetRequiredKeyedService<ITableWriter>(table.Store).WriteAsync(table, rows, cancellationToken);
        }
        catch (Exception ex)
        {
            metrics.InsertFailed(store, table.Name, InsertErrors.ClassOf(ex), Stopwatch.GetElapsedTime(started));
            throw;
        }
        metrics.InsertSucceeded(store, table.Name, rows.Count, Stopwatch.GetElapsedTime(started));
    }

    private static string StoreLabel(SinkStore store) => store switch
    {
        SinkStore.ClickHouse => "clickhouse",
        SinkStore.PostgreSql => "postgres",
        SinkStore.HttpApi => "http",
        _ => store.ToString().ToLowerInvariant(),
    };
}
