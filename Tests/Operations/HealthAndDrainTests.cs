using System.Net;
using Events.Tests.Infrastructure;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.Operations;

/// <summary>
/// Health, drain and reflection through the Api's real ports: the gRPC health service a balancer polls,
/// <c>/heartbeat</c> to take the instance out of rotation, <c>/readyz</c> naming every dependency.
/// </summary>
public sealed class HealthAndDrainTests(OperationsFixture fixture) : IClassFixture<OperationsFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task HealthCheck_OnTheGrpcPort_IsServingForTheServerAndTheEventService()
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{fixture.Pipeline.GrpcPort}");
        var health = new Health.HealthClient(channel);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct)).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
            (await health.CheckAsync(new HealthCheckRequest { Service = "event.EventService" }, cancellationToken: Ct)).Status);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "no.Such" }, cancellationToken: Ct).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Readyz_WhenEverythingRuns_IsReadyAndNamesEveryDependency()
    {
        using var response = await fixture.Http.GetAsync("readyz", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        foreach (var check in new[] { "accepting", "cluster", "rabbitmq", "clickhouse", "postgres" })
        {
            Assert.Contains($"{check}: Healthy", body);
        }
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.GetAsync("healthz", Ct)).StatusCode);
    }

    [Fact]
    public async Task Heartbeat_DrainedThenUndrained_HealthAndReadinessFollowWhileCallsAreStillServed()
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{fixture.Pipeline.GrpcPort}");
        var health = new Health.HealthClient(channel);
        using var watch = health.Watch(new HealthCheckRequest(), cancellationToken: Ct);
        Assert.True(await watch.ResponseStream.MoveNext(Ct));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, watch.ResponseStream.Current.Status);

        try
        {
            using var drained = await fixture.Http.PutAsync("heartbeat?beat=false", null, Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, drained.StatusCode);
            Assert.Contains("\"beat\":false", await drained.Content.ReadAsStringAsync(Ct));

            using (var beat = await fixture.Http.GetAsync("heartbeat", Ct))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, beat.StatusCode);
                Assert.Contains("\"beat\":false", await beat.Content.ReadAsStringAsync(Ct));
            }
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct)).Status);
            using (var ready = await fixture.Http.GetAsync("readyz", Ct))
            {
                var body = await ready.Content.ReadAsStringAsync(Ct);
                Assert.True(ready.StatusCode == HttpStatusCode.ServiceUnavailable, body);
                Assert.Contains("accepting: Unhealthy (drained)", body);
            }
            // Watchers hear it too (the publisher runs every 2 s).
            Assert.True(await watch.ResponseStream.MoveNext(Ct).WaitAsync(Patience, Ct));
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, watch.ResponseStream.Current.Status);

            // Drained is "send me nothing new", not "refuse": a call that still arrives is stored.
            var device = "drain-" + Guid.NewGuid().ToString("N");
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await fixture.Pipeline.DispatchAsync(new Protos.Events { Header = Header(device), Events_ = { Launch(device + "-1", now) } });
            await fixture.Pipeline.WaitForRowsAsync("event", $"device_id = '{device}'", 1);
        }
        finally
        {
            using var undrained = await fixture.Http.PutAsync("heartbeat?beat=true", null, Ct);
            Assert.Equal(HttpStatusCode.OK, undrained.StatusCode);
        }

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest(), cancellationToken: Ct)).Status);
        using (var beat = await fixture.Http.GetAsync("heartbeat", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, beat.StatusCode);
            Assert.Contains("\"beat\":true", await beat.Content.ReadAsStringAsync(Ct));
        }
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.GetAsync("readyz", Ct)).StatusCode);
        Assert.True(await watch.ResponseStream.MoveNext(Ct).WaitAsync(Patience, Ct));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, watch.ResponseStream.Current.Status);
    }

    [Fact]
    public async Task Heartbeat_WithoutTrueOrFalse_IsABadRequestAndChangesNothing()
    {
        using var response = await fixture.Http.PutAsync("heartbeat?beat=maybe", null, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Http.GetAsync("heartbeat", Ct)).StatusCode);
    }

    [Fact]
    public async Task Reflection_ListServices_NamesTheEventServiceAndHealth()
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{fixture.Pipeline.GrpcPort}");
        var reflection = new ServerReflection.ServerReflectionClient(channel);
        using var call = reflection.ServerReflectionInfo(cancellationToken: Ct);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, Ct);
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "event.EventService" }, Ct);
        Assert.True(await call.ResponseStream.MoveNext(Ct));
        var descriptor = call.ResponseStream.Current;
        await call.RequestStream.CompleteAsync();

        Assert.Contains("event.EventService", services);
        Assert.Contains("grpc.health.v1.Health", services);
        Assert.NotEmpty(descriptor.FileDescriptorResponse.FileDescriptorProto);
    }
}
