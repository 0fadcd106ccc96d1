using ClickHouse.Driver;
using Events.Grains.Sinks;
using Events.Grains.Tables;

namespace Events.Silo.ClickHouse;

/// <summary>Writes a generation of rows as one RowBinary insert.</summary>
internal sealed class ClickHouseTableWriter(ClickHouseSchema schema, ClickHouseClient client) : ITableWriter
{
    public async Task WriteAsync(TableSchema table, IReadOnlyList<object[]> rows, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync(table);
        // One batch as large as the generation: ClickHouse wants few, large inserts.
        var insert = new InsertOptions { BatchSize = Math.Max(rows.Count, 1), MaxDegreeOfParallelism = 1 };
        try
        {
            await client.InsertBinaryAsync($"`{schema.Database}`.`{table.Name}`", table.ColumnNames, rows, insert, cancellationToken);
        }
        catch (Exception ex) when (ClickHouseErrors.Classify(ex) is RowsRejectedException refused)
        {
            throw refused;
        }
    }
}
