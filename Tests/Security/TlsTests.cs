using Events.Tests.Infrastructure;
using Grpc.Net.Client;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.Security;

/// <summary>Kestrel's own TLS (Events:Api:Tls): both ports speak only HTTPS; a bad certificate setting stops the start-up.</summary>
public sealed class TlsTests(TlsFixture fixture) : IClassFixture<TlsFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DispatchOverHttps_IsStored()
    {
        var device = "tls-" + Guid.NewGuid().ToString("N")[..12];
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{fixture.Api.GrpcPort}", new GrpcChannelOptions { HttpHandler = fixture.Certificate.Handler() });
        var client = new Protos.EventService.EventServiceClient(channel);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var response = await client.dispatchAsync(Batch(Header(device), Launch($"{device}-1", now), Launch($"{device}-2", now)), cancellationToken: Cancel);

        Assert.Equal("SUCCESS", response.Status);
        await fixture.Pipeline.WaitForRowsAsync("event", $"device_id = '{device}'", 2);
    }

    [Fact]
    public async Task HealthOverHttps_Answers_PlainHttpIsRefused()
    {
        using var https = fixture.Https(fixture.Api.HttpPort);
        using var health = await https.GetAsync("healthz", Cancel);
        Assert.True(health.IsSuccessStatusCode, $"/healthz over https answered {(int)health.StatusCode}");

        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync($"http://127.0.0.1:{fixture.Api.HttpPort}/healthz", Cancel));
        using var plainGrpc = GrpcChannel.ForAddress($"http://127.0.0.1:{fixture.Api.GrpcPort}");
        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => new Protos.EventService.EventServiceClient(plainGrpc)
            .dispatchAsync(Batch(Header("tls-plain"), Launch("tls-plain-1", 1)), cancellationToken: Cancel).ResponseAsync);
        // Refused either way, by timing: the server closes the connection (Unavailable), or its TLS alert arrives first,
        // which is not the HTTP/2 handshake the client waits for (Internal, "the server did not complete the HTTP/2
        // handshake"; 2 runs of 6 here).
        Assert.True(refused.StatusCode is Grpc.Core.StatusCode.Unavailable or Grpc.Core.StatusCode.Internal,
            $"plain gRPC to the TLS port: {refused.StatusCode}: {refused.Status.Detail}");
    }

    [Fact]
    public async Task AWrongPassword_StopsTheStartUp_WithOneMessageThatDoesNotShowIt()
    {
        var environment = new Dictionary<string, string>(fixture.Pipeline.ApiStartEnvironment)
        {
            ["Events__Api__GrpcPort"] = LocalServices.FreeTcpPort().ToString(),
            ["Events__Api__HttpPort"] = LocalServices.FreeTcpPort().ToString(),
            ["Events__Api__Tls__CertificatePath"] = fixture.Certificate.Path,
            ["Events__Api__Tls__CertificatePassword"] = "not-the-password-0123456789",
        };
        await using var api = ProcessHost.Start("api-bad-tls", "Api", environment);

        await Eventually.Until(() => Task.FromResult(api.HasExited), exited => exited, TimeSpan.FromSeconds(60), _ => "the Api kept running\n" + api.Tail());

        var output = api.Tail(200);
        Assert.Contains($"Events:Api:Tls:CertificatePath '{fixture.Certificate.Path}' could not be read: the password (Events:Api:Tls:CertificatePassword) is wrong", output);
        Assert.DoesNotContain("not-the-password-0123456789", output);
        Assert.DoesNotContain(TlsFixture.Password, output);
    }
}
