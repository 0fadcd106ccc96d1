using Events.Grains.Tables;
using Microsoft.Extensions.Logging;

namespace Events.Silo.ClickHouse;

/// <summary>
/// Creates every table at start-up so they can be queried before the first event.
/// Best effort: a ClickHouse that is down must not stop the silo; sinks create tables lazily too.
/// </summary>
internal sealed partial class SchemaStartupService(ClickHouseSchema schema, TableCatalog catalog, ILogger<SchemaStartupService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var tables = catalog.Tables.Where(t => t.Store == SinkStore.ClickHouse).ToList();
            await Task.WhenAll(tables.Select(schema.EnsureAsync)).WaitAsync(cancellationToken);
            SchemaReady(logger, schema.Database, tables.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            SchemaDeferred(logger, schema.Database, ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "ClickHouse database {Database} has its {Count} tables")]
    private static partial void SchemaReady(ILogger logger, string database, int count);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "ClickHouse database {Database} not ready at start-up; tables will be created on first write")]
    private static partial void SchemaDeferred(ILogger logger, string database, Exception exception);
}
