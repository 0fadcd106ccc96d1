using Npgsql;

namespace Events.Tests.Infrastructure;

/// <summary>Reads from the real PostgreSQL (database <c>events</c>, role <c>events</c>), independent of the code under test.</summary>
public static class PostgresQuery
{
    public static string ConnectionString { get; } =
        $"Host={LocalServices.Host};Port={LocalServices.PostgresPort};Username=events;Password=events;Database=events;Timeout=5;Command Timeout=20";

    public static Task RequireAsync() => LocalServices.RequireAsync("PostgreSQL", LocalServices.PostgresPort);

    /// <summary>Every row of <paramref name="sql"/>, as column name → value.</summary>
    public static async Task<List<Dictionary<string, object?>>> RowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }

    public static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Drops a test's schema with its tables.</summary>
    public static Task DropSchemaAsync(string schema) => ExecuteAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
}
