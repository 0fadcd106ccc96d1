using Events.Grains.Sinks;
using Events.Grains.Tables;

namespace Events.Silo.Sinks;

/// <summary>Hands each table's rows to the writer of the store the table lives in (keyed by <see cref="SinkStore"/>).</summary>
internal sealed class TableWriterRouter(IServiceProvider services) : ITableWriter
{
    public Task WriteAsync(TableSchema table, IReadOnlyList<object[]> rows, CancellationToken cancellationToken) =>
        services.GetRequiredKeyedService<ITableWriter>(table.Store).WriteAsync(table, rows, cancellationToken);
}
