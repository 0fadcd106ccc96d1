using System.Net;
using Events.Api.Webhooks;
using Events.Tests.Webhooks;

namespace Events.Tests.Security;

/// <summary>
/// Timestamped webhook signatures through the running Api instances: fresh and correctly signed is stored; stale,
/// future, forged or replayed is refused and stored nowhere; without Redis the signed provider fails closed (503).
/// </summary>
public sealed class WebhookReplayTests(SignedWebhookFixture fixture) : IClassFixture<SignedWebhookFixture>
{
    private const string Table = "webengage_event";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignedRequest_IsStored_ItsReplayIs409OnEveryInstance()
    {
        var sample = Sample.New();
        var request = SignedWebhookFixture.Signed(sample);

        await fixture.Sender.DeliverAsync(request);
        using var replay = await fixture.Sender.SendAsync(request);
        using var elsewhere = await fixture.OtherSender.SendAsync(request);

        await AssertAnswerAsync(replay, HttpStatusCode.Conflict, "already received; each signature is accepted once");
        await AssertAnswerAsync(elsewhere, HttpStatusCode.Conflict, "already received");
        await fixture.Pipeline.WaitForRowsAsync(Table, ProviderCases.WebEngage.Where(sample), 1);
    }

    [Fact]
    public async Task TheSameEventSignedAgainLater_IsAccepted_AndStoredOnceByItsId()
    {
        var sample = Sample.New();

        await fixture.Sender.DeliverAsync(SignedWebhookFixture.Signed(sample, TimeSpan.FromSeconds(2)));
        await fixture.OtherSender.DeliverAsync(SignedWebhookFixture.Signed(sample));

        var rows = await fixture.Pipeline.WaitForRowsAsync(Table, ProviderCases.WebEngage.Where(sample), 1);
        Assert.Single(rows);
    }

    // A positive offset signs in the future: that loses skew while the request travels, and both ends round to whole
    // seconds, so it stays 5 s outside; a signature in the past only gains skew, so 301 s is outside already.
    [Theory]
    [InlineData(-301)]
    [InlineData(305)]
    [InlineData(-86_400)]
    public async Task SignatureOutsideTheTolerance_Is401_AndNotStored(int offsetSeconds)
    {
        var stale = Sample.New();
        var fresh = Sample.New();

        using var refused = await fixture.Sender.SendAsync(SignedWebhookFixture.Signed(stale, TimeSpan.FromSeconds(-offsetSeconds)));

        await AssertAnswerAsync(refused, HttpStatusCode.Unauthorized, "s from the server's time, more than the 300 s allowed");
        // Just inside the tolerance, either way, is accepted; the stale one was never stored.
        await fixture.Sender.DeliverAsync(SignedWebhookFixture.Signed(fresh, TimeSpan.FromSeconds(-Math.Sign(offsetSeconds) * 290)));
        await fixture.Pipeline.WaitForRowsAsync(Table, ProviderCases.WebEngage.Where(fresh), 1);
        Assert.Empty(await fixture.Pipeline.ClickHouse.RowsAsync(
            $"SELECT event_id FROM `{fixture.Pipeline.Database}`.{Table} WHERE {ProviderCases.WebEngage.Where(stale)}"));
    }

    public static TheoryData<string> Forgeries => new()
    {
        "wrong secret", "tampered body", "no header", "token instead of a signature", "time without v1", "v1 without time",
        "time changed after signing", "v1 not hex", "garbage",
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task ForgedOrMalformedSignature_Is401(string forgery)
    {
        var sample = Sample.New();
        var body = ProviderCases.WebEngage.Event(sample, null);
        var now = DateTimeOffset.UtcNow;
        var valid = SignedWebhookFixture.Signed(body, now).Headers[TimestampedSignatures.Header];
        var header = forgery switch
        {
            "wrong secret" => SignedWebhookFixture.Signed(body, now, "another-secret-0123456789abcdef").Headers[TimestampedSignatures.Header],
            "tampered body" => SignedWebhookFixture.Signed(body.Replace("sku-42", "sku-43"), now).Headers[TimestampedSignatures.Header],
            "time without v1" => $"t={now.ToUnixTimeSeconds()}",
            "v1 without time" => valid[valid.IndexOf("v1=", StringComparison.Ordinal)..],
            "time changed after signing" => valid.Replace($"t={now.ToUnixTimeSeconds()}", $"t={now.ToUnixTimeSeconds() + 1}"),
            "v1 not hex" => $"t={now.ToUnixTimeSeconds()},v1={new string('z', 64)}",
            "garbage" => "t=;;v1==,,x",
            _ => null,
        };
        var headers = new Dictionary<string, string>();
        if (header is not null)
        {
            headers[TimestampedSignatures.Header] = header;
        }
        if (forgery == "token instead of a signature")
        {
            headers[WebhookHandler.TokenHeader] = SignedWebhookFixture.SigningSecret;
        }

        using var response = await fixture.Sender.SendAsync(new WebhookRequest(SignedWebhookFixture.Provider, body, headers));

        await AssertAnswerAsync(response, HttpStatusCode.Unauthorized, $"the {TimestampedSignatures.Header} signature (t=<unix seconds>");
    }

    [Fact]
    public async Task RequestNotAccepted_CanBeSentAgainWithTheSameSignature()
    {
        // Valid JSON, correctly signed, but no event name: 400, and the claim on its signature is released.
        var request = SignedWebhookFixture.Signed("""{"eventTime":"2026-11-23T10:00:00Z","marker":"no-name"}""", DateTimeOffset.UtcNow);

        using var first = await fixture.Sender.SendAsync(request);
        using var again = await fixture.Sender.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
    }

    [Fact]
    public async Task RedisUnreachable_SignedWebhookIs503WithRetryAfter_TokenWebhooksUnaffected()
    {
        var sample = Sample.New();
        var request = SignedWebhookFixture.Signed(sample);

        using var refused = await fixture.NoRedisSender.SendAsync(request);

        await AssertAnswerAsync(refused, HttpStatusCode.ServiceUnavailable, "the replay check is unavailable; retry the request");
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("The replay store (Redis) did not answer", fixture.Logs());
        // Nothing was claimed: the provider's retry to a healthy instance is stored.
        await fixture.Sender.DeliverAsync(request);
        await fixture.Pipeline.WaitForRowsAsync(Table, ProviderCases.WebEngage.Where(sample), 1);
        // A provider on a plain token never needs Redis.
        var branch = Sample.New();
        var token = ProviderCases.Branch.Request(branch) with
        {
            Headers = new Dictionary<string, string> { [WebhookHandler.TokenHeader] = SignedWebhookFixture.BranchToken },
            Query = "",
        };
        await fixture.NoRedisSender.DeliverAsync(token);
        await fixture.Pipeline.WaitForRowsAsync(ProviderCases.Branch.Table, ProviderCases.Branch.Where(branch), 1);
    }

    private async Task AssertAnswerAsync(HttpResponseMessage response, HttpStatusCode expected, string message)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == expected && body.Contains(message, StringComparison.Ordinal),
            $"expected {(int)expected} with '{message}', got {(int)response.StatusCode}: {body}\n{fixture.Logs()}");
        Assert.DoesNotContain(SignedWebhookFixture.SigningSecret, body);
    }
}
