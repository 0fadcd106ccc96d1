using Events.Tests.Infrastructure;

namespace Events.Tests.Webhooks;

/// <summary>
/// A pipeline whose Api waits only 1 ms for RabbitMQ's confirms (so every webhook times out), with only Branch
/// configured (so the other providers are disabled).
/// </summary>
public sealed class ImpatientApiFixture : IAsyncLifetime
{
    public PipelineFixture Pipeline { get; } = new();
    public WebhookSender Sender { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Pipeline.ApiEnvironment["Events__Dispatch__PublishTimeout"] = "00:00:00.001";
        Pipeline.ApiEnvironment["Events__Webhooks__Branch__Token"] = WebhookFixture.Credentials["branch"];
        await Pipeline.InitializeAsync();
        Sender = new WebhookSender(Pipeline.HttpPort);
    }

    public async ValueTask DisposeAsync()
    {
        Sender?.Dispose();
        await Pipeline.DisposeAsync();
    }
}
