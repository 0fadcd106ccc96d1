using Events.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Net.Client;

namespace Events.Tests.Security;

/// <summary>
/// The pipeline with API keys required (two active keys for "mobile", one for "web"), a small default rate limit with
/// two clients at rates of their own ("bulk" a larger burst, "trickle" a smaller one), the Branch webhook and the
/// WebEngage forwarder's key configured: secrets the logs must never show.
/// </summary>
public sealed class AuthFixture : IAsyncLifetime
{
    public const string MobileOldKey = "mobile-old-key-5f0c1e2d3a4b";
    public const string MobileNewKey = "mobile-new-key-9a8b7c6d5e4f";
    public const string WebKey = "web-key-0a1b2c3d4e5f6a7b8c";
    public const string BranchToken = "auth-branch-token-7d6c5b4a3f2e";
    public const string ForwarderKey = "forwarder-key-1e2d3c4b5a69";
    public const int Burst = 20;

    // Clients with a rate of their own (Events:RateLimit:Clients), and one more on the default.
    public const string BulkKey = "bulk-key-4c3b2a19f8e7d6c5";
    public const int BulkBurst = 60;
    public const string TrickleKey = "trickle-key-8e7f6a5b4c3d2e1f";
    public const int TrickleBurst = 3;
    public const string PlainKey = "plain-key-2b3c4d5e6f7a8b9c";

    public static IReadOnlyList<string> Secrets { get; } = [MobileOldKey, MobileNewKey, WebKey, BranchToken, ForwarderKey, BulkKey, TrickleKey, PlainKey];

    public PipelineFixture Pipeline { get; } = new();
    public HttpClient Http { get; private set; } = null!;
    private GrpcChannel? _channel;

    public Protos.EventService.EventServiceClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var api = Pipeline.ApiEnvironment;
        api["Events__Dispatch__PublishTimeout"] = "00:00:10";
        api["Events__Auth__Enabled"] = "true";
        api["Events__Auth__Keys__mobile__0"] = MobileOldKey;
        api["Events__Auth__Keys__mobile__1"] = MobileNewKey;
        api["Events__Auth__Keys__web__0"] = WebKey;
        api["Events__RateLimit__Enabled"] = "true";
        api["Events__RateLimit__RequestsPerSecond"] = "1";
        api["Events__RateLimit__Burst"] = Burst.ToString();
        api["Events__Auth__Keys__bulk__0"] = BulkKey;
        api["Events__Auth__Keys__trickle__0"] = TrickleKey;
        api["Events__Auth__Keys__plain__0"] = PlainKey;
        api["Events__RateLimit__Clients__bulk__Burst"] = BulkBurst.ToString();
        api["Events__RateLimit__Clients__trickle__Burst"] = TrickleBurst.ToString();
        api["Events__RateLimit__Clients__trickle__RequestsPerSecond"] = "1";
        api["Events__Webhooks__Branch__Token"] = BranchToken;
        api["Logging__LogLevel__Events"] = "Debug";
        Pipeline.SiloEnvironment["Events__HttpApi__Targets__webengage_api__Url"] = "http://127.0.0.1:9/";
        Pipeline.SiloEnvironment["Events__HttpApi__Targets__webengage_api__ApiKey"] = ForwarderKey;
        Pipeline.SiloEnvironment["Logging__LogLevel__Events"] = "Debug";
        await Pipeline.InitializeAsync();
        _channel = GrpcChannel.ForAddress($"http://127.0.0.1:{Pipeline.GrpcPort}");
        Client = new Protos.EventService.EventServiceClient(_channel);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Pipeline.HttpPort}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public static Metadata Key(string? key) => key is null ? [] : new Metadata { { "x-api-key", key } };

    public async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        Http?.Dispose();
        await Pipeline.DisposeAsync();
    }
}
