using System.Collections.Concurrent;
using Events.Grains.Tables;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Events.Silo.Postgres;

/// <summary>Creates the schema and a table the first time it is needed (idempotent DDL), again after a failure.</summary>
internal sealed class PostgresSchema(IOptions<PostgresOptions> options, NpgsqlDataSource dataSource)
{
    // Another silo creating the same schema or table at the same moment: it exists now, which is all we want.
    private static readonly HashSet<string> AlreadyCreated = ["23505", "42P06", "42P07"];

    private readonly ConcurrentDictionary<string, Lazy<Task>> _ensured = new(StringComparer.Ordinal);

    public string Name { get; } = options.Value.Schema;

    public Task EnsureAsync(TableSchema table)
    {
        var ensured = _ensured.GetOrAdd(table.Name, _ => new Lazy<Task>(() => CreateAsync(table)));
        if (ensured.Value.IsFaulted)
        {
            // Try again next time: PostgreSQL may have been down.
            _ensured.TryRemove(new(table.Name, ensured));
        }
        return ensured.Value;
    }

    /// <summary>The table or its schema was dropped under us: create them again before the next write.</summary>
    public void Forget(TableSchema table) => _ensured.TryRemove(table.Name, out _);

    private async Task CreateAsync(TableSchema table)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await ExecuteAsync(connection, PostgresDdl.CreateSchemaSql(Name));
        await ExecuteAsync(connection, PostgresDdl.CreateTableSql(Name, table));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        try
        {
            await command.ExecuteNonQueryAsync();
        }
        catch (PostgresException ex) when (AlreadyCreated.Contains(ex.SqlState))
        {
        }
    }
}
