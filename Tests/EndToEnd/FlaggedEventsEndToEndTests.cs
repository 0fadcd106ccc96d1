using System.Globalization;
using System.Text.Json;
using Events.Tests.ClientTables;
using Events.Tests.Infrastructure;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.EndToEnd;

/// <summary>
/// Events the front door stores with a correction or a flag (a future timestamp clamped to server time, one older
/// than <c>Events:Limits:OldEventAge</c> kept as sent) are in their tables and, covered by the same SUCCESS, in
/// error_event with the reason; a time only seconds ahead (within <c>Events:Limits:ClockSkew</c>, 1 minute) is clamped
/// but gets no row; client retries collapse, and a later refusal of the same event is a row of its own.
/// </summary>
public sealed class FlaggedEventsEndToEndTests(PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    private const long Day = 86_400_000;
    private const long Year2100 = 4_102_444_800_000;

    [Fact]
    public async Task Dispatch_FutureAndOldEvents_AreStored_AndEachHasAnErrorEventRowSayingWhy_AClockSecondsAheadHasNone()
    {
        var device = "dev-" + Guid.NewGuid().ToString("N");
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var old = before - 90 * Day;
        var batch = Batch(Header(device),
            Launch($"{device}-normal", before - 1_000), PageOpened($"{device}-future", Year2100), AddToCart($"{device}-old", old),
            // In the same group as the flagged future event, so a flag for it would be published with that one.
            PageOpened($"{device}-skewed", before + 5_000));

        await pipeline.DispatchAsync(batch);
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var stored = ById(await pipeline.WaitForRowsAsync("event", $"device_id = '{device}'", 4));
        Assert.Equal(4, stored.Count);
        Assert.Equal(before - 1_000, stored[$"{device}-normal"].GetProperty("ts_ms").GetInt64());
        Assert.InRange(stored[$"{device}-future"].GetProperty("ts_ms").GetInt64(), before, after);
        Assert.Equal(old, stored[$"{device}-old"].GetProperty("ts_ms").GetInt64());
        Assert.InRange(stored[$"{device}-skewed"].GetProperty("ts_ms").GetInt64(), before, Math.Min(after, before + 5_000));

        var errors = ById(await pipeline.WaitForRowsAsync("error_event", $"device_id = '{device}'", 2));
        Assert.Equal([$"{device}-future", $"{device}-old"], errors.Keys.Order());
        foreach (var row in errors.Values)
        {
            Assert.Equal("event", row.GetProperty("target_table").GetString());
            Assert.Equal("flagged", row.GetProperty("error_kind").GetString());
            Assert.Equal(0, row.GetProperty("error_attempts").GetInt32());
            Assert.Equal(device, row.GetProperty("device_id").GetString());
        }
        var future = errors[$"{device}-future"];
        var clamped = stored[$"{device}-future"].GetProperty("ts_ms").GetInt64();
        Assert.Equal($"timestamp 2100-01-01T00:00:00.000Z is ahead of the server clock; stored as {Iso(clamped)}",
            future.GetProperty("error_reason").GetString());
        Assert.Equal("PageOpenedEvent", future.GetProperty("event_name").GetString());
        Assert.Equal(clamped, future.GetProperty("ts_ms").GetInt64());
        Assert.Equal($"timestamp {Iso(old)} is older than 30 days; stored as sent",
            errors[$"{device}-old"].GetProperty("error_reason").GetString());
        Assert.Equal(old, errors[$"{device}-old"].GetProperty("ts_ms").GetInt64());

        // A client retry of the same batch writes the rows again; they collapse with the first ones (FINAL).
        var firstFlagged = await LatestErrorTimeAsync(device);
        await pipeline.DispatchAsync(batch);
        await Eventually.Until(() => LatestErrorTimeAsync(device), latest => latest != firstFlagged, TimeSpan.FromSeconds(60),
            latest => $"the retry's error_event rows did not arrive (latest error_timestamp {latest})");
        var afterRetry = await pipeline.WaitForRowsAsync("error_event", $"device_id = '{device}'", 2);
        Assert.Equal(2, afterRetry.Count);
        Assert.Equal(4, (await pipeline.WaitForRowsAsync("event", $"device_id = '{device}'", 4)).Count);
    }

    [Fact]
    public async Task FlaggedEvent_ThatItsTableThenRefuses_HasAFlagRowAndARefusalRow()
    {
        var device = "dev-" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var poison = $"poison-{device}";
        await pipeline.WaitForTableAsync("event");
        await pipeline.ClickHouse.ExecuteAsync(
            $"ALTER TABLE `{pipeline.Database}`.event ADD CONSTRAINT no_poison CHECK event_id NOT LIKE 'poison-%'");
        try
        {
            await pipeline.DispatchAsync(Batch(Header(device), ClientEvents.Click(poison, now - 90 * Day, 1), Launch($"{device}-ok", now)));

            var rows = await pipeline.WaitForRowsAsync("error_event", $"event_id = '{poison}'", 2);
            Assert.Equal(2, rows.Count);
            var flagged = Assert.Single(rows, r => r.GetProperty("error_kind").GetString() == "flagged");
            Assert.Equal("event, click_event", flagged.GetProperty("target_table").GetString());
            Assert.EndsWith("is older than 30 days; stored as sent", flagged.GetProperty("error_reason").GetString());
            var refused = Assert.Single(rows, r => r.GetProperty("error_kind").GetString() == "refused");
            Assert.Equal("event", refused.GetProperty("target_table").GetString());
            Assert.Equal(3, refused.GetProperty("error_attempts").GetInt32());
            Assert.Single(await pipeline.WaitForRowsAsync("click_event", $"event_id = '{poison}'", 1));
            Assert.Single(await pipeline.WaitForRowsAsync("event", $"device_id = '{device}'", 1));
        }
        finally
        {
            await pipeline.ClickHouse.ExecuteAsync($"ALTER TABLE `{pipeline.Database}`.event DROP CONSTRAINT no_poison");
        }
    }

    private async Task<string> LatestErrorTimeAsync(string device) => (await pipeline.ClickHouse.ExecuteAsync(
        $"SELECT max(error_timestamp) FROM `{pipeline.Database}`.error_event FINAL WHERE device_id = '{device}'")).Trim();

    private static Dictionary<string, JsonElement> ById(List<JsonElement> rows) =>
        rows.ToDictionary(r => r.GetProperty("event_id").GetString()!);

    private static string Iso(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
