using Events.Grains.Routing;
using Events.Grains.Tables;
using Microsoft.Extensions.Options;

namespace Events.Silo.HttpApi;

/// <summary>
/// Drops routes to HTTP API pseudo-tables that have no URL configured, before the routing table is validated and
/// built: a forwarder is off until it is given an endpoint, and the rest of the routing works as configured.
/// </summary>
internal sealed class OmitUnconfiguredForwarders(IOptions<HttpApiOptions> httpApi, TableCatalog catalog) : IPostConfigureOptions<RoutingOptions>
{
    public void PostConfigure(string? name, RoutingOptions options)
    {
        foreach (var rule in options.Rules.ToList())
        {
            var removed = rule.Tables.RemoveAll(IsOff);
            if (removed > 0 && rule.Tables.Count == 0)
            {
                options.Rules.Remove(rule);
            }
        }
    }

    private bool IsOff(string table) =>
        catalog.Contains(table) && catalog.Get(table).Store == SinkStore.HttpApi && !httpApi.Value.IsConfigured(table);
}
