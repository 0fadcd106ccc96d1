using System.Net;
using System.Net.Http.Headers;
using Events.Api.Security;
using Grpc.Core;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.Security;

/// <summary>API keys and per-client rate limits on the running Api; no secret ever reaches its or the silo's logs.</summary>
[Collection(AuthCollection.Name)]
public sealed class ApiKeyTests(AuthFixture fixture)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dispatch_WithEitherActiveKeyOfAClient_IsStored()
    {
        var device = "auth-" + Guid.NewGuid().ToString("N")[..12];
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var key in new[] { AuthFixture.MobileOldKey, AuthFixture.MobileNewKey })
        {
            var response = await fixture.Client.dispatchAsync(Batch(Header(device), Launch($"{device}-{key[..10]}", now)), AuthFixture.Key(key), cancellationToken: Cancel);
            Assert.Equal("SUCCESS", response.Status);
        }
        await fixture.Pipeline.WaitForRowsAsync("event", $"device_id = '{device}'", 2);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(AuthFixture.MobileOldKey + "x")]
    [InlineData("mobile-old-key-5f0c1e2d3a4c")]
    public async Task Dispatch_WithoutAValidKey_IsUnauthenticatedAndNotStored(string? key)
    {
        var device = "noauth-" + Guid.NewGuid().ToString("N")[..12];
        var batch = Batch(Header(device), Launch($"{device}-1", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

        var refused = await Assert.ThrowsAsync<RpcException>(() => fixture.Client.dispatchAsync(batch, AuthFixture.Key(key), cancellationToken: Cancel).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Equal(ApiKeyMiddleware.Refusal, refused.Status.Detail);
        // A valid batch from a valid client afterwards is stored, the refused one is not.
        await fixture.Client.dispatchAsync(Batch(Header(device), Launch($"{device}-2", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())),
            AuthFixture.Key(AuthFixture.MobileNewKey), cancellationToken: Cancel);
        var rows = await fixture.Pipeline.WaitForRowsAsync("event", $"device_id = '{device}'", 1);
        Assert.Equal($"{device}-2", Assert.Single(rows).GetProperty("event_id").GetString());
    }

    [Fact]
    public async Task Webhook_WithoutAValidKey_Is401_WithAKeyReachesTheProviderCheck()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostBranchAsync(null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostBranchAsync("wrong-key-0123456789abcdef")).StatusCode);
        // With the API key the request meets the webhook's own checks: here a malformed body.
        Assert.Equal(HttpStatusCode.BadRequest, (await PostBranchAsync(AuthFixture.MobileNewKey)).StatusCode);
    }

    [Fact]
    public async Task OverTheRateLimit_IsResourceExhaustedWithRetryAdvice_PerClient()
    {
        var device = "rate-" + Guid.NewGuid().ToString("N")[..12];
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var calls = Enumerable.Range(0, AuthFixture.Burst * 3).Select(async i =>
        {
            try
            {
                await fixture.Client.dispatchAsync(Batch(Header(device), Launch($"{device}-{i}", now)), AuthFixture.Key(AuthFixture.WebKey), cancellationToken: Cancel);
                return StatusCode.OK;
            }
            catch (RpcException ex)
            {
                Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
                Assert.Matches("^Rate limit exceeded; retry after [0-9]+ s$", ex.Status.Detail);
                return ex.StatusCode;
            }
        });
        var answers = await Task.WhenAll(calls);

        var limited = answers.Count(a => a == StatusCode.ResourceExhausted);
        Assert.InRange(limited, AuthFixture.Burst, AuthFixture.Burst * 3 - 1);
        // The webhook port shares the client's bucket: 429 with Retry-After.
        var webhook = await PostBranchAsync(AuthFixture.WebKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, webhook.StatusCode);
        Assert.NotNull(webhook.Headers.RetryAfter);
        // Another client is not limited by this one.
        var other = await fixture.Client.dispatchAsync(Batch(Header(device), Launch($"{device}-other", now)), AuthFixture.Key(AuthFixture.MobileOldKey), cancellationToken: Cancel);
        Assert.Equal("SUCCESS", other.Status);
    }

    [Fact]
    public async Task Logs_OfARunWithFailingAuth_NeverContainASecret()
    {
        foreach (var secret in AuthFixture.Secrets)
        {
            // Near misses and the secrets themselves in places they do not belong.
            await Assert.ThrowsAsync<RpcException>(() => fixture.Client.dispatchAsync(Batch(Header("leak"), Launch("leak-1", 1)), AuthFixture.Key(secret + "0"), cancellationToken: Cancel).ResponseAsync);
            await PostBranchAsync(secret[..^1]);
            await PostBranchAsync(AuthFixture.MobileOldKey, token: secret + "0");
        }
        await fixture.Client.dispatchAsync(Batch(Header("leak"), Launch("leak-2", 1)), AuthFixture.Key(AuthFixture.MobileOldKey), cancellationToken: Cancel);

        var logs = fixture.Pipeline.Logs(2000);
        Assert.Contains("no valid API key", logs); // the failures were logged...
        foreach (var secret in AuthFixture.Secrets)
        {
            Assert.DoesNotContain(secret, logs); // ...without any secret
        }
    }

    private async Task<HttpResponseMessage> PostBranchAsync(string? apiKey, string token = AuthFixture.BranchToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "branch/event") { Content = new StringContent("{\"name\":") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-Webhook-Token", token);
        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", apiKey);
        }
        return await fixture.Http.SendAsync(request, Cancel);
    }
}
