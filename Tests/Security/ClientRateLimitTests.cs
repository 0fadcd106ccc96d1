using System.Diagnostics;
using Grpc.Core;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.Security;

/// <summary>A client named in Events:RateLimit:Clients gets its own rate; every other client the default.</summary>
[Collection(AuthCollection.Name)]
public sealed class ClientRateLimitTests(AuthFixture fixture)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClientsWithARateOfTheirOwn_AreLimitedAtTheirBurst_OthersAtTheDefault()
    {
        // Each bucket starts full and gains 1 request per second (the default rate and trickle's), so a client is
        // accepted its burst, plus at most one more per second the calls took.
        var bulk = await BurstAsync(AuthFixture.BulkKey, AuthFixture.BulkBurst + 30);
        var plain = await BurstAsync(AuthFixture.PlainKey, AuthFixture.Burst + 20);
        var trickle = await BurstAsync(AuthFixture.TrickleKey, AuthFixture.TrickleBurst + 10);

        AssertAcceptedAbout(bulk, AuthFixture.BulkBurst, "bulk (own burst 60)");
        AssertAcceptedAbout(plain, AuthFixture.Burst, "plain (default burst 20)");
        AssertAcceptedAbout(trickle, AuthFixture.TrickleBurst, "trickle (own burst 3)");
        // Over its own rate a client gets the same retry advice on the webhook port (the bucket is shared).
        using var request = new HttpRequestMessage(HttpMethod.Post, "branch/event") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("x-api-key", AuthFixture.TrickleKey);
        using var webhook = await fixture.Http.SendAsync(request, Cancel);
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, webhook.StatusCode);
        Assert.NotNull(webhook.Headers.RetryAfter);
        await fixture.Pipeline.WaitForRowsAsync("event", $"device_id = '{bulk.Device}'", bulk.Accepted);
    }

    private async Task<Burst> BurstAsync(string key, int calls)
    {
        var device = "rate-own-" + Guid.NewGuid().ToString("N")[..12];
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, calls).Select(async i =>
        {
            try
            {
                await fixture.Client.dispatchAsync(Batch(Header(device), Launch($"{device}-{i}", now)), AuthFixture.Key(key), cancellationToken: Cancel);
                return true;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.ResourceExhausted)
            {
                Assert.Matches("^Rate limit exceeded; retry after [0-9]+ s$", ex.Status.Detail);
                return false;
            }
        }));
        return new Burst(device, calls, answers.Count(a => a), clock.Elapsed);
    }

    private static void AssertAcceptedAbout(Burst burst, int expected, string client)
    {
        var most = expected + (int)Math.Ceiling(burst.Took.TotalSeconds) + 1;
        Assert.True(burst.Accepted >= expected && burst.Accepted <= most,
            $"{client}: {burst.Accepted} of {burst.Calls} calls accepted in {burst.Took.TotalSeconds:0.0} s, expected {expected} to {most}");
    }

    private sealed record Burst(string Device, int Calls, int Accepted, TimeSpan Took);
}
