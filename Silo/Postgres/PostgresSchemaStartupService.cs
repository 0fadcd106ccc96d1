using Events.Grains.Tables;
using Microsoft.Extensions.Logging;

namespace Events.Silo.Postgres;

/// <summary>
/// Creates the schema and every PostgreSQL table at start-up so they can be queried before the first event.
/// Best effort: a PostgreSQL that is down must not stop the silo; the writer creates its table before writing too.
/// </summary>
internal sealed partial class PostgresSchemaStartupService(
    PostgresSchema schema, TableCatalog catalog, ILogger<PostgresSchemaStartupService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var tables = catalog.Tables.Where(t => t.Store == SinkStore.PostgreSql).ToList();
        if (tables.Count == 0) return;
        try
        {
            // One after the other: concurrent CREATE SCHEMA IF NOT EXISTS may still collide inside PostgreSQL.
            foreach (var table in tables)
            {
                await schema.EnsureAsync(table).WaitAsync(cancellationToken);
            }
            SchemaReady(logger, schema.Name, tables.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SchemaDeferred(logger, schema.Name, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "PostgreSQL schema {Schema} has its {Count} tables")]
    private static partial void SchemaReady(ILogger logger, string schema, int count);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "PostgreSQL schema {Schema} not ready at start-up; tables will be created on first write")]
    private static partial void SchemaDeferred(ILogger logger, string schema, Exception exception);
}
