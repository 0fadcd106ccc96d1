using System.Net;
using System.Text.Json;

namespace Events.Tests.Webhooks;

/// <summary>
/// Each provider through the real front door (the Api's HTTP port) into the real ClickHouse: what is answered 200 is
/// stored once with its id, name and time; what is refused (400, 401, 413, 415) stores nothing.
/// </summary>
[Collection(WebhookCollection.Name)]
public sealed class WebhookEndToEndTests(WebhookFixture fixture)
{
    [Theory]
    [MemberData(nameof(ProviderCases.Names), MemberType = typeof(ProviderCases))]
    public async Task Webhook_ValidEvent_IsStoredWithItsIdNameTimeAndTypedColumns(string provider)
    {
        var c = ProviderCases.Get(provider);
        var sample = Sample.New();
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var answer = await fixture.Sender.DeliverAsync(c.Request(sample));
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.Equal(1, answer.GetProperty("accepted").GetInt32());
        var row = Assert.Single(await fixture.Pipeline.WaitForRowsAsync(c.Table, c.Where(sample), 1));
        Assert.Equal(c.ExpectedId(sample), row.GetProperty("event_id").GetString());
        Assert.Equal(c.ExpectedName, row.GetProperty("event_name").GetString());
        var stored = row.GetProperty("ts_ms").GetInt64();
        if (c.SendsTimestamp)
        {
            Assert.Equal(sample.TimestampMs, stored);
        }
        else
        {
            Assert.InRange(stored, before, after);
        }
        c.CheckColumns(row, sample);
    }

    [Theory]
    [MemberData(nameof(ProviderCases.Names), MemberType = typeof(ProviderCases))]
    public async Task Webhook_ProviderRetriesTheSameEvent_IsStoredOnce(string provider)
    {
        var c = ProviderCases.Get(provider);
        var sample = Sample.New();
        await fixture.Sender.DeliverAsync(c.Request(sample));
        await fixture.Pipeline.WaitForRowsAsync(c.Table, c.Where(sample), 1);

        // The retry's copy has a later insert time; once it is in, both copies have been written. (Under load the
        // Api may answer 503 to an attempt it still stores, so there can be more than one such copy.)
        var retriedAt = DateTime.UtcNow.AddMilliseconds(-1);
        await fixture.Sender.DeliverAsync(c.Request(sample));
        var table = $"`{fixture.Pipeline.Database}`.`{c.Table}`";
        await Infrastructure.Eventually.Until(
            () => fixture.Pipeline.ClickHouse.ExecuteAsync(
                $"SELECT count() FROM {table} WHERE {c.Where(sample)} AND insert_timestamp >= toDateTime64('{retriedAt:yyyy-MM-dd HH:mm:ss.fff}', 3, 'UTC')"),
            count => long.Parse(count) >= 1, TimeSpan.FromSeconds(90),
            count => $"the retry's copy was not stored ({count.Trim()} rows)\n{fixture.Pipeline.Logs()}");

        var final = await fixture.Pipeline.ClickHouse.ExecuteAsync($"SELECT count() FROM {table} FINAL WHERE {c.Where(sample)}");
        Assert.Equal("1", final.Trim());
    }

    [Theory]
    [MemberData(nameof(ProviderCases.Names), MemberType = typeof(ProviderCases))]
    public async Task Webhook_MalformedBody_Is400WithAReasonAndStoresNothing(string provider)
    {
        var c = ProviderCases.Get(provider);
        var sample = Sample.New();

        var withBadEvent = await SendAsync(c.Request(sample, wrap: body => $"[{body}, 42]"));
        var notJson = await SendAsync(c.Request(sample, wrap: body => body[..(body.Length / 2)]));

        Assert.Equal(HttpStatusCode.BadRequest, withBadEvent.Status);
        Assert.Contains("events[1]: not a JSON object", withBadEvent.Error);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.Status);
        Assert.Contains("not valid JSON", notJson.Error);
        await AssertNotStoredAsync(c, sample);
    }

    [Theory]
    [MemberData(nameof(ProviderCases.Names), MemberType = typeof(ProviderCases))]
    public async Task Webhook_WrongOrMissingSignature_Is401AndStoresNothing(string provider)
    {
        var c = ProviderCases.Get(provider);
        var sample = Sample.New();

        var wrong = await SendAsync(c.Request(sample, Credential.Wrong));
        var missing = await SendAsync(c.Request(sample, Credential.Missing));

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.Status);
        Assert.DoesNotContain(WebhookFixture.Credentials[provider], wrong.Error + missing.Error);
        await AssertNotStoredAsync(c, sample);
    }

    [Theory]
    [MemberData(nameof(ProviderCases.Names), MemberType = typeof(ProviderCases))]
    public async Task Webhook_BodyOverTheLimit_Is413WithOrWithoutALength(string provider)
    {
        var c = ProviderCases.Get(provider);
        var sample = Sample.New();
        // Valid JSON, validly signed: only its size is wrong.
        var request = c.Request(sample, wrap: body => $"[{body},{new string(' ', WebhookFixture.MaxBodyBytes)}]");

        var sized = await SendAsync(request);
        var chunked = await SendAsync(request, chunked: true);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, sized.Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.Status);
        Assert.Contains($"{WebhookFixture.MaxBodyBytes} bytes", chunked.Error);
        await AssertNotStoredAsync(c, sample);
    }

    [Theory]
    [MemberData(nameof(ProviderCases.Names), MemberType = typeof(ProviderCases))]
    public async Task Webhook_NotJsonContentType_Is415(string provider)
    {
        var c = ProviderCases.Get(provider);

        var answer = await SendAsync(c.Request(Sample.New()), contentType: "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, answer.Status);
        Assert.Contains("application/json", answer.Error);
    }

    [Fact]
    public async Task Webhook_ArrayOfEvents_IsStoredWhole()
    {
        var c = ProviderCases.Vidooly;
        var samples = Enumerable.Range(0, 3).Select(_ => Sample.New()).ToList();
        var marker = samples[0].Marker;
        var body = "[" + string.Join(",", samples.Select(s => c.Event(s with { Marker = marker }, null))) + "]";

        var answer = await fixture.Sender.DeliverAsync(c.Request(samples[0]) with { Body = body });

        Assert.Equal(3, answer.GetProperty("accepted").GetInt32());
        var rows = await fixture.Pipeline.WaitForRowsAsync(c.Table, c.Where(samples[0]), 3);
        Assert.Equal(samples.Select(s => s.Id).Order(), rows.Select(r => r.GetProperty("event_id").GetString()).Order());
    }

    private async Task<(HttpStatusCode Status, string Error)> SendAsync(WebhookRequest request, string contentType = "application/json", bool chunked = false)
    {
        using var response = await fixture.Sender.SendAsync(request, contentType, chunked);
        var body = await response.Content.ReadAsStringAsync();
        var error = response.Content.Headers.ContentType?.MediaType == "application/json" && body.Length > 0
            ? JsonDocument.Parse(body).RootElement.TryGetProperty("error", out var e) ? e.GetString() ?? "" : ""
            : body;
        return (response.StatusCode, error);
    }

    /// <summary>A valid event sent afterwards is stored, and by then the refused one would be too.</summary>
    private async Task AssertNotStoredAsync(ProviderCase c, Sample refused)
    {
        var after = Sample.New();
        await fixture.Sender.DeliverAsync(c.Request(after));
        await fixture.Pipeline.WaitForRowsAsync(c.Table, c.Where(after), 1);
        var stored = await fixture.Pipeline.ClickHouse.ExecuteAsync(
            $"SELECT count() FROM `{fixture.Pipeline.Database}`.`{c.Table}` WHERE {c.Where(refused)}");
        Assert.Equal("0", stored.Trim());
    }
}
