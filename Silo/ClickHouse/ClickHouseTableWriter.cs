using ClickHouse.Driver.ADO;
using ClickHouse.Driver.Copy;
using Events.Grains.Sinks;
using Events.Grains.Tables;
using Microsoft.Extensions.Options;

namespace Events.Silo.ClickHouse;

/// <summary>Writes a generation of rows as one RowBinary insert.</summary>
internal sealed class ClickHouseTableWriter(ClickHouseSchema schema, IOptions<ClickHouseOptions> options, HttpClient http)
    : ITableWriter
{
    public async Task WriteAsync(TableSchema table, IReadOnlyList<object[]> rows, CancellationToken cancellationToken)
    {
        await schema.EnsureAsync(table);
        using var connection = new ClickHouseConnection(options.Value.ConnectionString, http);
        using var bulkCopy = new ClickHouseBulkCopy(connection)
        {
            DestinationTableName = $"`{schema.Database}`.`{table.Name}`",
            ColumnNames = table.ColumnNames.ToArray(),
            BatchSize = Math.Max(rows.Count, 1),
            MaxDegreeOfParallelism = 1,
        };
        await bulkCopy.InitAsync();
        await bulkCopy.WriteToServerAsync(rows, cancellationToken);
    }
}
