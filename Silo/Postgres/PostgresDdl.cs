using Events.Grains.Tables;

namespace Events.Silo.Postgres;

/// <summary>
/// The PostgreSQL DDL for a <see cref="TableSchema"/> of the PostgreSQL store: column types are PostgreSQL types,
/// every column is NOT NULL (rows always carry a value, defaults included), <see cref="TableSchema.OrderBy"/> is the
/// primary key and <see cref="TableSchema.Engine"/> the access method.
/// </summary>
internal static class PostgresDdl
{
    public static string CreateSchemaSql(string schema) => $"CREATE SCHEMA IF NOT EXISTS {Quote(schema)}";

    public static string CreateTableSql(string schema, TableSchema table)
    {
        if (table.Store != SinkStore.PostgreSql)
        {
            throw new ArgumentException($"Table '{table.Name}' lives in {table.Store}, not PostgreSQL.", nameof(table));
        }
        if (table.PartitionBy is not null)
        {
            throw new ArgumentException($"Table '{table.Name}': PostgreSQL sink tables are not partitioned.", nameof(table));
        }
        var key = table.OrderBy.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var unknown = key.Where(k => !table.ColumnNames.Contains(k)).ToList();
        if (key.Length == 0 || unknown.Count > 0)
        {
            throw new ArgumentException($"Table '{table.Name}': the primary key '{table.OrderBy}' must name its columns.", nameof(table));
        }
        var lines = table.Columns.Select(c => $"{Quote(c.Name)} {c.Type} NOT NULL")
            .Append($"PRIMARY KEY ({string.Join(", ", key.Select(Quote))})");
        return $"CREATE TABLE IF NOT EXISTS {Qualified(schema, table.Name)} (\n    {string.Join(",\n    ", lines)}\n) USING {table.Engine}";
    }

    public static string Qualified(string schema, string table) => $"{Quote(schema)}.{Quote(table)}";

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
