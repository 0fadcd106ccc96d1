using System.Net;
using Events.Protos;
using Events.Tests.EndToEnd;
using Events.Tests.Infrastructure;
using Events.Tests.Webhooks;
using Grpc.Core;

namespace Events.Tests.Faults;

/// <summary>
/// Overload at the front door: RabbitMQ stalls (SIGSTOP), so no publish is confirmed. The Api keeps at most
/// <c>Events:Dispatch:MaxEventsInFlight</c> events waiting and refuses the rest at once (RESOURCE_EXHAUSTED, webhooks
/// 429) instead of letting every call wait out its timeout. Events stay counted until the silo answers, even after
/// their caller got UNAVAILABLE. When the broker answers again, batches are accepted; refused events are never stored.
/// </summary>
[Collection(FaultTestCollection.Name)]
public sealed class BrokerStallTests
{
    private const int Limit = 200;
    private const int BatchSize = 100;

    [Fact]
    public async Task BrokerStalled_ApiRefusesPastItsLimitAtOnce_AndAcceptsAgainWhenTheBrokerAnswers()
    {
        await ServiceScript.RequireStartedByScriptAsync("rabbitmq");
        await using var pipeline = new PipelineFixture();
        pipeline.ApiEnvironment["Events__Dispatch__MaxEventsInFlight"] = Limit.ToString();
        pipeline.ApiEnvironment["Events__Limits__MaxEventsPerBatch"] = BatchSize.ToString();
        pipeline.ApiEnvironment["Events__Webhooks__Branch__Token"] = WebhookFixture.Credentials["branch"];
        await pipeline.InitializeAsync();
        using var webhooks = new WebhookSender(pipeline.HttpPort);
        using var http = new HttpClient();
        var metrics = $"http://127.0.0.1:{pipeline.HttpPort}/metrics";
        var device = "stall-" + Guid.NewGuid().ToString("N");
        await pipeline.DispatchAsync(Batch(device, "before", 1)); // publishing works before the stall

        RpcException refused, stillRefused;
        HttpResponseMessage refusedWebhook;
        PrometheusScrape stalled;
        using (ProcessFreeze.Start(ServiceScript.Pid("rabbitmq")))
        {
            var waiting = new[] { Call(pipeline, Batch(device, "waiting-a", BatchSize)), Call(pipeline, Batch(device, "waiting-b", BatchSize)) };
            await Eventually.Until(() => PrometheusScrape.FromAsync(http, metrics), m => m.Sum("events_dispatch_events_in_flight") >= Limit,
                TimeSpan.FromSeconds(10), m => $"{m.Sum("events_dispatch_events_in_flight")} events in flight");

            refused = await Assert.ThrowsAsync<RpcException>(() => Call(pipeline, Batch(device, "refused", BatchSize)));

            // Past the 1 s publish timeout the callers are answered, but the silo still holds their events.
            foreach (var call in waiting)
            {
                Assert.Equal(StatusCode.Unavailable, (await Assert.ThrowsAsync<RpcException>(() => call)).StatusCode);
            }
            stillRefused = await Assert.ThrowsAsync<RpcException>(() => Call(pipeline, Batch(device, "refused-later", BatchSize)));
            refusedWebhook = await webhooks.SendAsync(ProviderCases.Branch.Request(Sample.New()));
            stalled = await PrometheusScrape.FromAsync(http, metrics);
        }

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains($"at capacity ({Limit} events in flight); retry", refused.Status.Detail);
        Assert.Equal(StatusCode.ResourceExhausted, stillRefused.StatusCode);
        Assert.Equal(2 * BatchSize, stalled.Sum("events_refused_total", ("reason", "resourceexhausted"), ("source", "grpc")));
        using (refusedWebhook)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refusedWebhook.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refusedWebhook.Headers.RetryAfter?.Delta);
        }

        // The broker answers again: the waiting publishes end, their events leave the count, and batches are accepted
        // (the first try may still find the Api full: DispatchAsync retries RESOURCE_EXHAUSTED as a client should).
        await pipeline.DispatchAsync(Batch(device, "after", BatchSize));
        await pipeline.WaitForRowsAsync("event", $"device_id = '{device}' AND startsWith(event_id, 'after-')", BatchSize);
        var refusedRows = await pipeline.ClickHouse.RowsAsync(
            $"SELECT event_id FROM `{pipeline.Database}`.event WHERE device_id = '{device}' AND startsWith(event_id, 'refused')");
        Assert.Empty(refusedRows);
        Assert.Equal(0, (await PrometheusScrape.FromAsync(http, metrics)).Sum("events_dispatch_events_in_flight"));
    }

    private static async Task Call(PipelineFixture pipeline, Protos.Events batch) =>
        Assert.Equal("SUCCESS", (await pipeline.Client.dispatchAsync(batch, cancellationToken: TestContext.Current.CancellationToken)).Status);

    private static Protos.Events Batch(string device, string prefix, int count)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return TestBatches.Batch(TestBatches.Header(device), Enumerable.Range(0, count).Select(i => TestBatches.Launch($"{prefix}-{i}", now)).ToArray());
    }
}
