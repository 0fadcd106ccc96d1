using System.Text.Json;
using Events.Cli.DeadLetters;
using Events.Tests.Infrastructure;

namespace Events.Tests.Webhooks;

/// <summary>
/// WebEngage events are stored and also forwarded to WebEngage's API (here a local HTTP server) with the API key.
/// An API that keeps failing past the retry limit, or refuses the events, gets them dead-lettered:
/// error_event and the dead-letter queue, like rows a table refuses.
/// </summary>
[Collection(WebhookCollection.Name)]
public sealed class WebEngageForwarderTests(WebhookFixture fixture)
{
    private static readonly ProviderCase WebEngage = ProviderCases.WebEngage;

    [Fact]
    public async Task WebEngageEvent_IsForwardedToTheApiWithTheKey_AndStored()
    {
        var sample = Sample.New();

        await fixture.Sender.DeliverAsync(WebEngage.Request(sample));

        var request = (await ForwardedAsync(sample.Marker, 1)).Single();
        Assert.Equal($"Bearer {WebhookFixture.ApiKey}", request.Authorization);
        Assert.StartsWith("application/json", request.ContentType);
        Assert.Equal(new Uri(fixture.Receiver.Url).AbsolutePath, request.Path);
        var forwarded = Assert.Single(request.Events());
        Assert.Equal(sample.Marker, forwarded.GetProperty("userId").GetString());
        Assert.Equal("Added To Cart", forwarded.GetProperty("eventName").GetString());
        Assert.Equal(sample.IsoWithCompactOffset, forwarded.GetProperty("eventTime").GetString());
        await fixture.Pipeline.WaitForRowsAsync(WebEngage.Table, WebEngage.Where(sample), 1);
    }

    [Fact]
    public async Task ApiFailingLongerThanTheRetryLimit_EventsAreDeadLettered_AndStillStored()
    {
        var first = Sample.New();
        var second = first with { Id = "other", TimestampMs = first.TimestampMs - 1000 };
        fixture.Receiver.FailWhenContains(first.Marker, 500);
        var body = $"[{ProviderCases.WebEngageEvent(first)},{ProviderCases.WebEngageEvent(second)}]";

        await fixture.Sender.DeliverAsync(WebEngage.Request(first) with { Body = body });

        var errors = await fixture.Pipeline.WaitForRowsAsync("error_event", $"position(event_params, '{first.Marker}') > 0", 2);
        Assert.All(errors, error =>
        {
            Assert.Equal("webengage_api", error.GetProperty("target_table").GetString());
            Assert.Contains($"gave up after {WebhookFixture.ForwarderMaxAttempts} attempts", error.GetProperty("error_reason").GetString());
            Assert.Contains("HTTP 500", error.GetProperty("error_reason").GetString());
        });
        var ids = new[] { ProviderCase.HashId(ProviderCases.WebEngageEvent(first)), ProviderCase.HashId(ProviderCases.WebEngageEvent(second)) };
        Assert.Equal(ids.Order(), errors.Select(e => e.GetProperty("event_id").GetString()).Order());
        var letter = await DeadLetterAsync(first.Marker);
        Assert.Equal("webengage_api", letter.Table);
        Assert.Equal("webengage", letter.Group.Source);
        Assert.Equal(ids.Order(), letter.Group.Events.Select(e => e.Id).Order());
        // One write tried the API the configured number of times; finding the refused rows (in halves) did not try again.
        var requests = fixture.Receiver.RequestsWith(first.Marker);
        Assert.Equal(WebhookFixture.ForwarderMaxAttempts, requests.Count);
        Assert.All(requests, r => Assert.Equal(2, r.Events().Count));
        // The events are still in their table: only the forwarding failed.
        await fixture.Pipeline.WaitForRowsAsync(WebEngage.Table, WebEngage.Where(first), 2);
    }

    [Fact]
    public async Task ApiFailingWithinTheRetryLimit_EventIsForwarded_AndNothingDeadLettered()
    {
        var sample = Sample.New();
        fixture.Receiver.FailWhenContains(sample.Marker, 503, times: WebhookFixture.ForwarderMaxAttempts - 1);

        await fixture.Sender.DeliverAsync(WebEngage.Request(sample));

        var requests = await ForwardedAsync(sample.Marker, WebhookFixture.ForwarderMaxAttempts);
        Assert.Equal([503, 503, 200], requests.Select(r => r.Status));
        var errors = await fixture.Pipeline.ClickHouse.ExecuteAsync(
            $"SELECT count() FROM `{fixture.Pipeline.Database}`.error_event WHERE position(event_params, '{sample.Marker}') > 0");
        Assert.Equal("0", errors.Trim());
    }

    [Fact]
    public async Task ApiRefusingTheEvent_IsDeadLetteredWithoutWaitingForRetries()
    {
        var sample = Sample.New();
        fixture.Receiver.FailWhenContains(sample.Marker, 400);

        await fixture.Sender.DeliverAsync(WebEngage.Request(sample));

        var error = Assert.Single(await fixture.Pipeline.WaitForRowsAsync("error_event", $"position(event_params, '{sample.Marker}') > 0", 1));
        Assert.Equal("webengage_api", error.GetProperty("target_table").GetString());
        Assert.Contains("refused the events: HTTP 400", error.GetProperty("error_reason").GetString());
        // Refused once, then retried alone twice by the sink (MaxRejectedRetries); never retried with backoff.
        Assert.Equal(3, fixture.Receiver.RequestsWith(sample.Marker).Count);
        await DeadLetterAsync(sample.Marker);
    }

    [Fact]
    public async Task TheForwarder_HasNoClickHouseTable()
    {
        await fixture.Pipeline.WaitForTableAsync(WebEngage.Table);

        var tables = await fixture.Pipeline.ClickHouse.ExecuteAsync(
            $"SELECT count() FROM system.tables WHERE database = '{fixture.Pipeline.Database}' AND name = 'webengage_api'");

        Assert.Equal("0", tables.Trim());
    }

    private Task<IReadOnlyList<ReceivedRequest>> ForwardedAsync(string marker, int expected) => Eventually.Until(
        () => Task.FromResult(fixture.Receiver.RequestsWith(marker)), requests => requests.Count >= expected, TimeSpan.FromSeconds(60),
        requests => $"expected {expected} forwarded requests with {marker}, got {requests.Count}\n{fixture.Pipeline.Logs()}");

    /// <summary>The dead letter holding the marker's events; others are left in the queue.</summary>
    private async Task<DeadLetterMessage> DeadLetterAsync(string marker) => await Eventually.Until(async () =>
        {
            await using var queue = await DeadLetterQueue.OpenAsync(LocalServices.RabbitMqUri, fixture.Pipeline.QueuePrefix);
            while (await queue.NextAsync() is { } message)
            {
                var letter = JsonSerializer.Deserialize<DeadLetterMessage>(message.Body.Span, DeadLetterMessage.Json)!;
                if (letter.Group.Events.Any(e => e.ParamsJson.Contains(marker, StringComparison.Ordinal)))
                {
                    return letter;
                }
            }
            return null;
        },
        letter => letter is not null, TimeSpan.FromSeconds(30), _ => $"no dead letter holds {marker}") ?? throw new InvalidOperationException();
}
