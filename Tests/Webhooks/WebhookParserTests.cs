using System.Text;
using Events.Api.Security;
using Events.Api.Webhooks;

namespace Events.Tests.Webhooks;

/// <summary>The provider descriptors read each provider's payload: id, name, time, envelope; bodies are taken or refused whole.</summary>
public sealed class WebhookParserTests
{
    private const long Now = 1_750_000_000_000;

    [Fact]
    public void Branch_ReadsIdNameAndMillisecondTimestamp()
    {
        var parse = Parse(WebhookProviders.Branch, """{"id": 571185373347218400, "name": "INSTALL", "timestamp": 1700000000123}""");

        var evt = Assert.Single(parse.Events).Event;
        Assert.Equal("571185373347218400", evt.Id); // the number as written, not rounded through a double
        Assert.Equal("INSTALL", evt.Name);
        Assert.Equal(1_700_000_000_123, evt.TimestampMs);
    }

    [Fact]
    public void WebEngage_WithoutAnId_GetsTheHashOfItsContent_AndReadsCompactOffsets()
    {
        const string body = """{"userId": "u1", "eventName": "Signed Up", "eventTime": "2024-05-01T10:00:00-0800"}""";

        var evt = Assert.Single(Parse(WebhookProviders.WebEngage, body).Events).Event;

        Assert.StartsWith(EventIds.Prefix, evt.Id);
        Assert.Equal(ProviderCase.HashId(body), evt.Id);
        Assert.Equal(DateTimeOffset.Parse("2024-05-01T18:00:00Z").ToUnixTimeMilliseconds(), evt.TimestampMs);
    }

    [Fact]
    public void Shopify_ReadsTopicIdAndTimeFromHeaders()
    {
        var headers = new Dictionary<string, string>
        {
            ["X-Shopify-Topic"] = "orders/paid",
            ["X-Shopify-Webhook-Id"] = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
            ["X-Shopify-Triggered-At"] = "2024-03-29T18:00:27.877041743Z",
        };

        var evt = Assert.Single(Parse(WebhookProviders.Shopify, """{"id": 820982911946154508, "created_at": "2020-01-01T00:00:00Z"}""", headers).Events).Event;

        Assert.Equal("orders/paid", evt.Name);
        Assert.Equal("b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", evt.Id);
        Assert.Equal(DateTimeOffset.Parse("2024-03-29T18:00:27.877Z").ToUnixTimeMilliseconds(), evt.TimestampMs);
    }

    [Fact]
    public void HeaderId_OnAnArray_IsSuffixedWithTheIndex()
    {
        var headers = new Dictionary<string, string> { ["X-Shopify-Topic"] = "orders/create", ["X-Shopify-Webhook-Id"] = "w1" };

        var parse = Parse(WebhookProviders.Shopify, """[{"id": 1}, {"id": 2}]""", headers);

        Assert.Equal(["w1:0", "w1:1"], parse.Events.Select(e => e.Event.Id));
    }

    [Fact]
    public void Graphy_UnwrapsThePayload_AndKeepsTheSecretOutOfTheEvent()
    {
        var parse = Parse(WebhookProviders.Graphy, """{"secret_key": "s3cret", "payload": {"event_type": "forum_post_like", "event_id": 123, "actor_id": 1}}""");

        var parsed = Assert.Single(parse.Events);
        Assert.Equal("s3cret", parsed.BodyToken);
        Assert.Equal("123", parsed.Event.Id);
        Assert.Equal("forum_post_like", parsed.Event.Name);
        Assert.Equal(Now, parsed.Event.TimestampMs); // Graphy sends no time: the receive time
        Assert.DoesNotContain("s3cret", parsed.Event.ParamsJson);
        Assert.Contains("\"actor_id\"", parsed.Event.ParamsJson);
    }

    [Fact]
    public void FutureOrUnreadableTimestamps_BecomeTheReceiveTime()
    {
        var parse = Parse(WebhookProviders.Vidooly,
            """[{"id": "a", "event": "e", "timestamp": 99999999999999}, {"id": "b", "event": "e", "timestamp": "yesterday"}, {"id": "c", "event": "e"}]""");

        Assert.All(parse.Events, e => Assert.Equal(Now, e.Event.TimestampMs));
    }

    [Fact]
    public void FutureOrUnreadableTimestamps_AreFlaggedWithWhy_AMissingOneIsNot()
    {
        var parse = Parse(WebhookProviders.Vidooly,
            """[{"id": "a", "event": "e", "timestamp": 4102444800000}, {"id": "b", "event": "e", "timestamp": "yesterday"}, {"id": "c", "event": "e"}, {"id": "d", "event": "e", "timestamp": 1700000000000}]""");

        var flags = parse.Events.ToDictionary(e => e.Event.Id, e => e.Event.Flag);
        Assert.Equal("timestamp 2100-01-01T00:00:00.000Z is ahead of the server clock; stored as 2025-06-15T15:06:40.000Z", flags["a"]);
        Assert.Equal("timestamp 'yesterday' is not a readable time from 2000 to 9999; stored as the receive time 2025-06-15T15:06:40.000Z", flags["b"]);
        Assert.Null(flags["c"]);
        Assert.Null(flags["d"]);
    }

    [Fact]
    public void TimestampsAheadByAtMostClockSkew_AreClamped_NotFlagged_FurtherAheadAreFlagged()
    {
        var parse = Parse(WebhookProviders.Vidooly,
            $$"""[{"id": "ms", "event": "e", "timestamp": {{Now + 1}}}, {"id": "bound", "event": "e", "timestamp": {{Now + 60_000}}}, {"id": "beyond", "event": "e", "timestamp": {{Now + 60_001}}}]""");

        var events = parse.Events.ToDictionary(e => e.Event.Id, e => e.Event);
        Assert.Equal(3, events.Count);
        Assert.All(events.Values, e => Assert.Equal(Now, e.TimestampMs));
        Assert.Null(events["ms"].Flag);
        Assert.Null(events["bound"].Flag);
        Assert.Equal("timestamp 2025-06-15T15:07:40.001Z is ahead of the server clock; stored as 2025-06-15T15:06:40.000Z", events["beyond"].Flag);
    }

    [Fact]
    public void ClockSkewZero_FlagsEveryTimestampAhead()
    {
        var parse = Parse(WebhookProviders.Vidooly,
            $$"""[{"id": "now", "event": "e", "timestamp": {{Now}}}, {"id": "ahead", "event": "e", "timestamp": {{Now + 1}}}]""", clockSkew: TimeSpan.Zero);

        var events = parse.Events.ToDictionary(e => e.Event.Id, e => e.Event);
        Assert.Null(events["now"].Flag);
        Assert.Equal(Now, events["ahead"].TimestampMs);
        Assert.Equal("timestamp 2025-06-15T15:06:40.001Z is ahead of the server clock; stored as 2025-06-15T15:06:40.000Z", events["ahead"].Flag);
    }

    [Fact]
    public void ProviderIdMissing_FallsBackToTheContentHash()
    {
        var parse = Parse(WebhookProviders.Vidooly, """{"event": "video_published", "video_id": "v1"}""");

        Assert.StartsWith(EventIds.Prefix, Assert.Single(parse.Events).Event.Id);
    }

    [Theory]
    [InlineData("""{"id": "x", "name": "OPEN",""", "the body is not valid JSON")]
    [InlineData("\"just a string\"", "the body must be a JSON object or an array of objects")]
    [InlineData("""{"id": "x", "timestamp": 1}""", "the event name ('name') is missing")]
    [InlineData("""[{"id": "x", "name": "OPEN"}, {"id": "y"}]""", "events[1]: the event name ('name') is missing")]
    [InlineData("""[{"id": "x", "name": "OPEN"}, [1]]""", "events[1]: not a JSON object")]
    [InlineData("""{"id": "x", "name": ""}""", "the event name ('name') is missing")]
    public void MalformedBody_IsRefusedWhole_WithAReason(string body, string reason)
    {
        var parse = Parse(WebhookProviders.Branch, body);

        Assert.Empty(parse.Events);
        Assert.StartsWith(reason, parse.Error);
    }

    [Fact]
    public void Graphy_WithoutAPayloadObject_IsRefused()
    {
        var parse = Parse(WebhookProviders.Graphy, """{"secret_key": "s", "payload": "nope"}""");

        Assert.Equal("'payload' is missing or not an object", parse.Error);
    }

    [Fact]
    public void OverlongName_IsRefused()
    {
        var parse = Parse(WebhookProviders.Branch, $$"""{"id": "x", "name": "{{new string('n', WebhookParser.MaxFieldLength + 1)}}"}""");

        Assert.Contains("longer than", parse.Error);
    }

    [Fact]
    public void EmptyArray_HasNoEvents()
    {
        var parse = Parse(WebhookProviders.Branch, "[]");

        Assert.Null(parse.Error);
        Assert.Empty(parse.Events);
    }

    [Fact]
    public void EveryProvider_HasADistinctLowerCaseName()
    {
        Assert.Equal(WebhookProviders.All.Count, WebhookProviders.All.Select(p => p.Name).Distinct().Count());
        Assert.All(WebhookProviders.All, p => Assert.Equal(p.Name.ToLowerInvariant(), p.Name));
        Assert.Equal(["/branch/event", "/webengage/event", "/shopify/event", "/graphy/event", "/vidooly/event"], WebhookProviders.All.Select(p => p.Route));
    }

    /// <param name="clockSkew">Events:Limits:ClockSkew; its default (1 minute) when not given.</param>
    private static WebhookParse Parse(WebhookProvider provider, string body, IReadOnlyDictionary<string, string>? headers = null, TimeSpan? clockSkew = null) =>
        WebhookParser.Parse(provider, Encoding.UTF8.GetBytes(body), name => headers?.GetValueOrDefault(name), Now,
            clockSkew ?? new LimitsOptions().ClockSkew);
}
