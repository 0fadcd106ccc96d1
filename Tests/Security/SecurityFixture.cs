using Events.Tests.Infrastructure;

namespace Events.Tests.Security;

/// <summary>
/// The pipeline with the Branch webhook (a token) and WebEngage (timestamped signatures) configured, a small webhook
/// body limit and a patient Api, so that hostile requests meet every check of both front doors.
/// </summary>
public sealed class SecurityFixture : IAsyncLifetime
{
    public const string BranchToken = "fuzz-branch-token-0123456789abcdef";
    public const string SigningSecret = "fuzz-webengage-signing-0123456789";
    public const int WebhookMaxBodyBytes = 64 * 1024;

    public PipelineFixture Pipeline { get; } = new();
    public RawGrpc Grpc { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Pipeline.ApiEnvironment["Events__Dispatch__PublishTimeout"] = "00:00:10";
        Pipeline.ApiEnvironment["Events__Webhooks__MaxBodyBytes"] = WebhookMaxBodyBytes.ToString();
        Pipeline.ApiEnvironment["Events__Webhooks__Branch__Token"] = BranchToken;
        Pipeline.ApiEnvironment["Events__Webhooks__WebEngage__SigningSecret"] = SigningSecret;
        await Pipeline.InitializeAsync();
        Grpc = new RawGrpc(Pipeline.GrpcPort);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Pipeline.HttpPort}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async ValueTask DisposeAsync()
    {
        Grpc?.Dispose();
        Http?.Dispose();
        await Pipeline.DisposeAsync();
    }
}
