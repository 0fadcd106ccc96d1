using Events.Grains.Routing;
using Events.Grains.Tables;
using Events.Silo.HttpApi;
using Microsoft.Extensions.Options;

namespace Events.Tests.Webhooks;

/// <summary>The forwarder's settings are validated at start-up, and a forwarder without a URL is off (its routes dropped).</summary>
public sealed class HttpApiConfigurationTests
{
    private static readonly TableCatalog Catalog = new(AllTables.List);

    [Fact]
    public void Defaults_AreValid()
    {
        Assert.True(Validate(new HttpApiOptions()).Succeeded);
    }

    [Fact]
    public void Problems_AreAllListed_WithoutTheKey()
    {
        var options = new HttpApiOptions
        {
            MaxAttempts = 0,
            RequestTimeout = TimeSpan.Zero,
            Targets =
            {
                ["webengage_api"] = new HttpApiTarget { Url = "ftp://example.com/x", ApiKey = "", MaxEventsPerRequest = 0 },
                ["event"] = new HttpApiTarget { Url = "https://example.com/", ApiKey = "secret-api-key" },
            },
        };

        var failures = Validate(options).Failures!.ToList();

        Assert.Contains(failures, f => f.Contains("MaxAttempts"));
        Assert.Contains(failures, f => f.Contains("RequestTimeout"));
        Assert.Contains(failures, f => f.Contains("webengage_api:Url must be an absolute http or https URL"));
        Assert.Contains(failures, f => f.Contains("webengage_api:ApiKey is empty"));
        Assert.Contains(failures, f => f.Contains("webengage_api:MaxEventsPerRequest"));
        Assert.Contains(failures, f => f.Contains("'event' is not an HTTP API table"));
        Assert.DoesNotContain(failures, f => f.Contains("secret-api-key"));
    }

    [Fact]
    public void RetriesThatCouldOutlastTheSinkCall_AreRefused()
    {
        var failures = Validate(new HttpApiOptions { MaxAttempts = 5, RequestTimeout = TimeSpan.FromSeconds(10) }).Failures!;

        Assert.Contains(failures, f => f.Contains("must stay within 20 s"));
    }

    [Fact]
    public void ForwarderWithoutAUrl_IsDroppedFromTheRoutes_AndTheRestKept()
    {
        var routing = Routing(new HttpApiOptions());

        var rules = routing.Rules;
        Assert.Equal(["webengage_event"], rules.Single(r => r.Source == "webengage").Tables);
        Assert.DoesNotContain(rules, r => r.Source == "only-api");
        Assert.Equal(["branch_event"], rules.Single(r => r.Source == "branch").Tables);
        Assert.Empty(RoutingTable.Validate(rules, Catalog));
    }

    [Fact]
    public void ForwarderWithAUrl_KeepsItsRoutes()
    {
        var routing = Routing(new HttpApiOptions { Targets = { ["webengage_api"] = new HttpApiTarget { Url = "https://api.example/", ApiKey = "k" } } });

        Assert.Equal(["webengage_event", "webengage_api"], routing.Rules.Single(r => r.Source == "webengage").Tables);
        Assert.Equal(["webengage_api"], routing.Rules.Single(r => r.Source == "only-api").Tables);
    }

    private static ValidateOptionsResult Validate(HttpApiOptions options) => new HttpApiOptionsValidator(Catalog).Validate(null, options);

    private static RoutingOptions Routing(HttpApiOptions httpApi)
    {
        var routing = new RoutingOptions
        {
            Rules =
            [
                new RouteRule { Source = "branch", Tables = ["branch_event"] },
                new RouteRule { Source = "webengage", Tables = ["webengage_event", "webengage_api"] },
                new RouteRule { Source = "only-api", Tables = ["webengage_api"] },
            ],
        };
        new OmitUnconfiguredForwarders(Options.Create(httpApi), Catalog).PostConfigure(null, routing);
        return routing;
    }
}
