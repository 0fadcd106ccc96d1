using Events.Tests.Infrastructure;

namespace Events.Tests.Webhooks;

/// <summary>
/// The pipeline (silo and Api processes on the real RabbitMQ and ClickHouse) with every webhook provider configured,
/// a small body limit, a patient Api, and the WebEngage forwarder pointed at a local HTTP API with quick retries.
/// </summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    public const string ApiKey = "test-webengage-api-key-0123456789";
    public const int MaxBodyBytes = 64 * 1024;
    public const int ForwarderMaxAttempts = 3;

    /// <summary>Each provider's credential (Shopify's is its HMAC secret).</summary>
    public static IReadOnlyDictionary<string, string> Credentials { get; } = new Dictionary<string, string>
    {
        ["branch"] = "branch-token-0123456789abcdef",
        ["webengage"] = "webengage-token-0123456789abcdef",
        ["shopify"] = "shopify-secret-0123456789abcdef",
        ["graphy"] = "graphy-secret-key-0123456789abcdef",
        ["vidooly"] = "vidooly-token-0123456789abcdef",
    };

    public PipelineFixture Pipeline { get; } = new();
    public ApiReceiver Receiver { get; } = new();
    public WebhookSender Sender { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // Patient, so that a loaded machine does not turn a webhook into a 503 whose events are stored anyway and then
        // sent again (exact counts below); answering 503 in time is tested with its own fixture.
        Pipeline.ApiEnvironment["Events__Dispatch__PublishTimeout"] = "00:00:10";
        Pipeline.ApiEnvironment["Events__Webhooks__MaxBodyBytes"] = MaxBodyBytes.ToString();
        Pipeline.ApiEnvironment["Events__Webhooks__Branch__Token"] = Credentials["branch"];
        Pipeline.ApiEnvironment["Events__Webhooks__WebEngage__Token"] = Credentials["webengage"];
        Pipeline.ApiEnvironment["Events__Webhooks__Shopify__Secret"] = Credentials["shopify"];
        Pipeline.ApiEnvironment["Events__Webhooks__Graphy__Token"] = Credentials["graphy"];
        Pipeline.ApiEnvironment["Events__Webhooks__Vidooly__Token"] = Credentials["vidooly"];
        Pipeline.SiloEnvironment["Events__HttpApi__Targets__webengage_api__Url"] = Receiver.Url;
        Pipeline.SiloEnvironment["Events__HttpApi__Targets__webengage_api__ApiKey"] = ApiKey;
        Pipeline.SiloEnvironment["Events__HttpApi__MaxAttempts"] = ForwarderMaxAttempts.ToString();
        Pipeline.SiloEnvironment["Events__HttpApi__RetryDelay"] = "00:00:00.05";
        Pipeline.SiloEnvironment["Events__HttpApi__RequestTimeout"] = "00:00:03";
        await Pipeline.InitializeAsync();
        Sender = new WebhookSender(Pipeline.HttpPort);
    }

    public async ValueTask DisposeAsync()
    {
        Sender?.Dispose();
        await Pipeline.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
