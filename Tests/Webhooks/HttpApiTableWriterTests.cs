using Events.Grains.Sinks;
using Events.Grains.Tables;
using Events.Silo.HttpApi;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Events.Tests.Webhooks;

/// <summary>The forwarder's writer against a local HTTP API: batching, the key, and what it retries, refuses or gives up.</summary>
public sealed class HttpApiTableWriterTests : IAsyncLifetime
{
    private const string Key = "unit-test-key-0123456789";
    private readonly ApiReceiver _api = new();
    private readonly string _marker = "m" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Rows_AreSentInBatchesWithTheKey()
    {
        using var writer = Writer(maxEventsPerRequest: 25);

        await writer.WriteAsync(WebhookTables.WebEngageApi, Rows(60), CancellationToken.None);

        var requests = _api.RequestsWith(_marker);
        Assert.Equal([25, 25, 10], requests.Select(r => r.Events().Count).Order().Reverse());
        Assert.All(requests, r => Assert.Equal($"Bearer {Key}", r.Authorization));
        Assert.Equal(60, requests.SelectMany(r => r.Events()).Select(e => e.GetProperty("n").GetInt32()).Distinct().Count());
    }

    [Fact]
    public async Task ServerErrors_AreRetriedUpToTheLimit_ThenTheRowsAreRefused_AndNotTriedAgain()
    {
        _api.FailWhenContains(_marker, 500);
        using var writer = Writer(maxAttempts: 3);
        var rows = Rows(2);

        var refused = await Assert.ThrowsAsync<RowsRejectedException>(() => writer.WriteAsync(WebhookTables.WebEngageApi, rows, CancellationToken.None));
        Assert.Contains("gave up after 3 attempts", refused.Reason);
        Assert.Contains("HTTP 500", refused.Reason);
        Assert.Equal(3, _api.RequestsWith(_marker).Count);

        // The sink splits refused rows to find the bad ones: the same rows fail again without waiting out retries.
        await Assert.ThrowsAsync<RowsRejectedException>(() => writer.WriteAsync(WebhookTables.WebEngageApi, [rows[1]], CancellationToken.None));
        Assert.Equal(3, _api.RequestsWith(_marker).Count);
    }

    [Fact]
    public async Task ServerErrorsWithinTheLimit_AreRetriedUntilDelivered()
    {
        _api.FailWhenContains(_marker, 503, times: 2);
        using var writer = Writer(maxAttempts: 3);

        await writer.WriteAsync(WebhookTables.WebEngageApi, Rows(1), CancellationToken.None);

        Assert.Equal([503, 503, 200], _api.RequestsWith(_marker).Select(r => r.Status));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(422)]
    public async Task ClientErrors_RefuseTheRowsAtOnce(int status)
    {
        _api.FailWhenContains(_marker, status);
        using var writer = Writer(maxAttempts: 3);

        var refused = await Assert.ThrowsAsync<RowsRejectedException>(() => writer.WriteAsync(WebhookTables.WebEngageApi, Rows(1), CancellationToken.None));

        Assert.Contains($"HTTP {status}", refused.Reason);
        Assert.Single(_api.RequestsWith(_marker));
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    public async Task TimeoutAndTooManyRequests_AreRetried(int status)
    {
        _api.FailWhenContains(_marker, status, times: 1);
        using var writer = Writer(maxAttempts: 2);

        await writer.WriteAsync(WebhookTables.WebEngageApi, Rows(1), CancellationToken.None);

        Assert.Equal([status, 200], _api.RequestsWith(_marker).Select(r => r.Status));
    }

    [Fact]
    public async Task SlowAnswers_AreTimedOutAndRetried()
    {
        _api.DelayWhenContains(_marker, TimeSpan.FromSeconds(2));
        using var writer = Writer(maxAttempts: 2, requestTimeout: TimeSpan.FromMilliseconds(200));

        var refused = await Assert.ThrowsAsync<RowsRejectedException>(() => writer.WriteAsync(WebhookTables.WebEngageApi, Rows(1), CancellationToken.None));

        Assert.Contains("no answer within 200 ms", refused.Reason);
    }

    [Fact]
    public async Task ConnectionRefused_IsRetriedThenRefused()
    {
        using var writer = Writer(maxAttempts: 2, url: $"http://127.0.0.1:{Infrastructure.LocalServices.FreeTcpPort()}/events");

        var refused = await Assert.ThrowsAsync<RowsRejectedException>(() => writer.WriteAsync(WebhookTables.WebEngageApi, Rows(1), CancellationToken.None));

        Assert.Contains("gave up after 2 attempts", refused.Reason);
        Assert.Contains("ConnectionError", refused.Reason);
    }

    [Fact]
    public async Task RowsAlreadyDelivered_AreNotSentAgain()
    {
        using var writer = Writer(maxEventsPerRequest: 1, maxAttempts: 1);
        var rows = Rows(2);
        _api.FailWhenContains($"\"n\":1,\"{_marker}\"", 500);

        await Assert.ThrowsAsync<RowsRejectedException>(() => writer.WriteAsync(WebhookTables.WebEngageApi, rows, CancellationToken.None));
        await writer.WriteAsync(WebhookTables.WebEngageApi, [rows[0]], CancellationToken.None);

        Assert.Single(_api.RequestsWith($"\"n\":0,\"{_marker}\""));
    }

    [Fact]
    public async Task TableWithoutAnEndpoint_IsRefused()
    {
        using var writer = Writer(url: "");

        var refused = await Assert.ThrowsAsync<RowsRejectedException>(() => writer.WriteAsync(WebhookTables.WebEngageApi, Rows(1), CancellationToken.None));

        Assert.Contains("Events:HttpApi:Targets:webengage_api:Url", refused.Reason);
    }

    private HttpApiTableWriter Writer(int maxEventsPerRequest = 25, int maxAttempts = 3, TimeSpan? requestTimeout = null, string? url = null) =>
        new(Options.Create(new HttpApiOptions
        {
            MaxAttempts = maxAttempts,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5),
            Targets = { ["webengage_api"] = new HttpApiTarget { Url = url ?? _api.Url, ApiKey = Key, MaxEventsPerRequest = maxEventsPerRequest } },
        }), NullLogger<HttpApiTableWriter>.Instance);

    private List<object[]> Rows(int count) => Enumerable.Range(0, count)
        .Select(n => new object[] { $"id-{n}", "Viewed", $$"""{"n":{{n}},"{{_marker}}":true}""" })
        .ToList();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _api.DisposeAsync();
}
