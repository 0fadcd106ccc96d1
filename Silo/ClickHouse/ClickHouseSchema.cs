using System.Collections.Concurrent;
using ClickHouse.Driver;
using Events.Grains.Tables;
using Microsoft.Extensions.Options;

namespace Events.Silo.ClickHouse;

/// <summary>
/// Creates the database and a table the first time it is needed, and gives a table made by an older version the
/// current settings (idempotent DDL).
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
        await client.ExecuteNonQueryAsync(table.AlterSettingsSql(_options.Database));
    }
}
