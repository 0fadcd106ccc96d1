using Events.Tests.Infrastructure;
using Events.Tests.Webhooks;

namespace Events.Tests.Operations;

/// <summary>A pipeline with Branch webhooks on and a silo that counts its queues' backlog every second.</summary>
public sealed class SiloMetricsFixture : IAsyncLifetime
{
    public PipelineFixture Pipeline { get; } = new();
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };
    public string SiloMetricsUrl => $"http://127.0.0.1:{Pipeline.SiloMetricsPort}/metrics";
    public string ApiMetricsUrl => $"http://127.0.0.1:{Pipeline.HttpPort}/metrics";

    public async ValueTask InitializeAsync()
    {
        Pipeline.ApiEnvironment["Events__Dispatch__PublishTimeout"] = "00:00:10";
        Pipeline.ApiEnvironment["Events__Webhooks__Branch__Token"] = WebhookFixture.Credentials["branch"];
        Pipeline.SiloEnvironment["Events__RabbitMq__BacklogInterval"] = "00:00:01";
        await Pipeline.InitializeAsync();
    }

    public Task<PrometheusScrape> ScrapeSiloAsync() => PrometheusScrape.FromAsync(Http, SiloMetricsUrl);

    public Task<PrometheusScrape> ScrapeApiAsync() => PrometheusScrape.FromAsync(Http, ApiMetricsUrl);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Pipeline.DisposeAsync();
    }
}
