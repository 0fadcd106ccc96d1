using Events.Grains.Tables;
using Microsoft.Extensions.Options;

namespace Events.Silo.HttpApi;

/// <summary>Says at start-up which HTTP API forwarders are on, and where to (the host only: a URL may carry a key).</summary>
internal sealed class HttpApiStartupReport(IOptions<HttpApiOptions> options, TableCatalog catalog, ILogger<HttpApiStartupReport> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var table in catalog.Tables.Where(t => t.Store == SinkStore.HttpApi))
        {
            if (options.Value.IsConfigured(table.Name))
            {
                HttpApiLog.Forwarding(logger, table.Name, new Uri(options.Value.Targets[table.Name].Url).Authority);
            }
            else
            {
                HttpApiLog.Off(logger, table.Name);
            }
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
