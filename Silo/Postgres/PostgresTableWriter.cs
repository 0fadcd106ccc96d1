using Events.Grains.Sinks;
using Events.Grains.Tables;
using Npgsql;

namespace Events.Silo.Postgres;

/// <summary>
/// Writes a generation of rows in one transaction: a binary COPY into a temporary staging table, then one
/// <c>INSERT … SELECT … ON CONFLICT DO NOTHING</c> into the table. Rows whose id the table holds already (a redelivered
/// message, a retried batch) are skipped, so writing the same rows again changes nothing.
/// </summary>
internal sealed class PostgresTableWriter(PostgresSchema schema, NpgsqlDataSource dataSource) : ITableWriter
{
    // undefined_table, invalid_schema_name: someone dropped them; the next attempt creates them again.
    private static readonly HashSet<string> Missing = ["42P01", "3F000"];

    public async Task WriteAsync(TableSchema table, IReadOnlyList<object[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0) return;
        await schema.EnsureAsync(table);
        try
        {
            await WriteInTransactionAsync(table, rows, cancellationToken);
        }
        catch (PostgresException ex) when (Missing.Contains(ex.SqlState))
        {
            schema.Forget(table);
            throw;
        }
        catch (Exception ex) when (PostgresErrors.Classify(ex) is RowsRejectedException refused)
        {
            throw refused;
        }
    }

    private async Task WriteInTransactionAsync(TableSchema table, IReadOnlyList<object[]> rows, CancellationToken cancellationToken)
    {
        var target = PostgresDdl.Qualified(schema.Name, table.Name);
        var staging = PostgresDdl.Quote("staging_" + table.Name);
        var columns = string.Join(", ", table.ColumnNames.Select(PostgresDdl.Quote));

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Private to this connection and gone at commit or rollback; LIKE copies the NOT NULLs but not the key.
        await ExecuteAsync(connection, $"CREATE TEMP TABLE {staging} (LIKE {target}) ON COMMIT DROP", cancellationToken);
        await using (var copy = await connection.BeginBinaryImportAsync($"COPY {staging} ({columns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var row in rows)
            {
                await copy.StartRowAsync(cancellationToken);
                for (var i = 0; i < row.Length; i++)
                {
                    await copy.WriteAsync(AsUtc(row[i]), table.Columns[i].Type, cancellationToken);
                }
            }
            await copy.CompleteAsync(cancellationToken);
        }
        await ExecuteAsync(connection,
            $"INSERT INTO {target} ({columns}) SELECT {columns} FROM {staging} ON CONFLICT DO NOTHING", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // timestamptz takes UTC only; a time that lost its kind crossing a grain call is UTC by construction.
    private static object AsUtc(object value) => value switch
    {
        DateTime { Kind: DateTimeKind.Unspecified } time => DateTime.SpecifyKind(time, DateTimeKind.Utc),
        DateTime { Kind: DateTimeKind.Local } time => time.ToUniversalTime(),
        _ => value,
    };
}
