using Events.Api.Webhooks;
using Events.Tests.Infrastructure;
using Events.Tests.Webhooks;

namespace Events.Tests.Security;

/// <summary>
/// The pipeline with WebEngage signing its requests (a SigningSecret: timestamped signatures, each accepted once) and
/// Branch on a plain token, behind two more Api instances of the same deployment: one sharing the real Redis, one whose
/// Redis is an unused port.
/// </summary>
public sealed class SignedWebhookFixture : IAsyncLifetime
{
    public const string SigningSecret = "webengage-signing-secret-0123456789";
    public const string BranchToken = "signed-branch-token-0123456789ab";
    public const string Provider = "webengage";

    public PipelineFixture Pipeline { get; } = new();
    public WebhookSender Sender { get; private set; } = null!;
    public WebhookSender OtherSender { get; private set; } = null!;
    public WebhookSender NoRedisSender { get; private set; } = null!;
    private SecondApi? _other;
    private SecondApi? _noRedis;

    public async ValueTask InitializeAsync()
    {
        await LocalServices.RequireAsync("Redis", LocalServices.RedisPort);
        var api = Pipeline.ApiEnvironment;
        api["Events__Dispatch__PublishTimeout"] = "00:00:10";
        api["Events__Cluster__RedisConnectionString"] = $"{LocalServices.Host}:{LocalServices.RedisPort}";
        api["Events__Webhooks__WebEngage__SigningSecret"] = SigningSecret;
        api["Events__Webhooks__Branch__Token"] = BranchToken;
        await Pipeline.InitializeAsync();
        Sender = new WebhookSender(Pipeline.HttpPort);
        _other = await SecondApi.StartAsync(Pipeline, "api-2", new Dictionary<string, string>(), Http);
        OtherSender = new WebhookSender(_other.HttpPort);
        _noRedis = await SecondApi.StartAsync(Pipeline, "api-no-redis",
            new Dictionary<string, string> { ["Events__Cluster__RedisConnectionString"] = $"{LocalServices.Host}:{LocalServices.FreeTcpPort()}" }, Http);
        NoRedisSender = new WebhookSender(_noRedis.HttpPort);
    }

    /// <summary>A WebEngage request for <paramref name="sample"/>, signed now (or <paramref name="age"/> ago) with <paramref name="secret"/>.</summary>
    public static WebhookRequest Signed(Sample sample, TimeSpan age = default, string secret = SigningSecret) =>
        Signed(ProviderCases.WebEngage.Event(sample, null), DateTimeOffset.UtcNow - age, secret);

    public static WebhookRequest Signed(string body, DateTimeOffset signedAt, string secret = SigningSecret) =>
        new(Provider, body, new Dictionary<string, string>
        {
            [TimestampedSignatures.Header] = TimestampedSignatures.Sign(System.Text.Encoding.UTF8.GetBytes(body), secret, signedAt.ToUnixTimeSeconds()),
        });

    public string Logs() => Pipeline.Logs() + "\n" + _other?.Process.Tail() + "\n" + _noRedis?.Process.Tail();

    private static HttpClient Http(int port) => new() { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };

    public async ValueTask DisposeAsync()
    {
        Sender?.Dispose();
        OtherSender?.Dispose();
        NoRedisSender?.Dispose();
        if (_other is not null) await _other.DisposeAsync();
        if (_noRedis is not null) await _noRedis.DisposeAsync();
        await Pipeline.DisposeAsync();
    }
}
