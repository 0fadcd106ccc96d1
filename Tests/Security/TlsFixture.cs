using Events.Tests.Infrastructure;

namespace Events.Tests.Security;

/// <summary>The pipeline plus an Api instance that serves both ports over TLS with a self-signed certificate made here.</summary>
public sealed class TlsFixture : IAsyncLifetime
{
    public const string Password = "tls-test-password-0123456789";

    public PipelineFixture Pipeline { get; } = new();
    public TestCertificate Certificate { get; } = new(Password);
    public SecondApi Api { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Pipeline.InitializeAsync();
        Api = await SecondApi.StartAsync(Pipeline, "api-tls", new Dictionary<string, string>
        {
            ["Events__Api__Tls__CertificatePath"] = Certificate.Path,
            ["Events__Api__Tls__CertificatePassword"] = Password,
        }, Https);
    }

    public HttpClient Https(int port) => new(Certificate.Handler()) { BaseAddress = new Uri($"https://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };

    public async ValueTask DisposeAsync()
    {
        if (Api is not null) await Api.DisposeAsync();
        await Pipeline.DisposeAsync();
        Certificate.Dispose();
    }
}
