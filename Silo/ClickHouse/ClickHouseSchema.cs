using System.Collections.Concurrent;
using ClickHouse.Driver;
using Events.Grains.Tables;
using Microsoft.Extensions.Options;

namespace Events.Silo.ClickHouse;

/// <summary>
/// Creates the database and a table the first time it is needed, and gives a table made by an older version the
/// settings it lacks (idempotent DDL; a setting the table has, an operator's value say, is left alone).
/// </summary>
internal sealed class ClickHouseSchema(IOptions<ClickHouseOptions> options, ClickHouseClient client)
{
    private readonly ClickHouseOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Lazy<Task>> _ensured = new(StringComparer.Ordinal);

    public string Database => _options.Database;

    public Task EnsureAsync(TableSchema table)
    {
        var ensured = _ensured.GetOrAdd(table.Name, _ => new Lazy<Task>(() => CreateAsync(table)));
        if (ensured.Value.IsFaulted)
        {
            // Try again next time: ClickHouse may have been down.
            _ensured.TryRemove(new(table.Name, ensured));
        }
        return ensured.Value;
    }

    private async Task CreateAsync(TableSchema table)
    {
        await client.ExecuteNonQueryAsync($"CREATE DATABASE IF NOT EXISTS `{_options.Database}`");
        await client.ExecuteNonQueryAsync(table.CreateTableSql(_options.Database));
        var created = await client.ExecuteScalarAsync($"SHOW CREATE TABLE `{_options.Database}`.`{table.Name}`");
        if (table.AlterSettingsSql(_options.Database, created as string ?? "") is { } alter)
        {
            await client.ExecuteNonQueryAsync(alter);
        }
    }
}
