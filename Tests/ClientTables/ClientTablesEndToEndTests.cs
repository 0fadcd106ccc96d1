using System.Text.Json;
using Events.Tests.Infrastructure;
using static Events.Tests.ClientTables.ClientEvents;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.ClientTables;

/// <summary>
/// A real gRPC client against real silo and Api processes: events of types with tables of their own land in `event`
/// and in their table (ClickHouse), launch-refer events in PostgreSQL too, once however often they are delivered.
/// </summary>
public sealed class ClientTablesEndToEndTests(PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SiloStart_CreatesPostgresTablesInItsSchema_AndOnlyClickHouseTablesInClickHouse()
    {
        await PostgresQuery.RequireAsync();
        foreach (var table in new[] { "click_event", "app_init_event", "launch_refer_event" })
        {
            await pipeline.WaitForTableAsync(table);
        }

        var postgresTables = await Eventually.Until(
            () => PostgresQuery.RowsAsync($"SELECT table_name FROM information_schema.tables WHERE table_schema = '{pipeline.PostgresSchema}' ORDER BY 1"),
            rows => rows.Count >= 2, Patience, rows => $"expected referral_event and user_account in schema {pipeline.PostgresSchema}, found {rows.Count} tables");
        Assert.Equal(["referral_event", "user_account"], postgresTables.Select(r => (string)r["table_name"]!));
        var inClickHouse = await pipeline.ClickHouse.ExecuteAsync(
            $"SELECT count() FROM system.tables WHERE database = '{pipeline.Database}' AND name IN ('referral_event', 'user_account')");
        Assert.Equal("0", inClickHouse.Trim());
    }

    [Fact]
    public async Task Dispatch_ClickEvents_LandInEventAndInClickEventWithTypedColumns()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var device = "click-" + Guid.NewGuid().ToString("N");
        var clicks = Enumerable.Range(0, 5).Select(i => Click($"{device}-C{i}", now - i, i)).ToArray();

        await pipeline.DispatchAsync(Batch(Header(device), [.. clicks, Launch($"{device}-L0", now)]));

        var rows = await pipeline.WaitForRowsAsync("click_event", $"device_id = '{device}'", clicks.Length);
        await pipeline.WaitForRowsAsync("event", $"device_id = '{device}'", clicks.Length + 1);
        Assert.Equal(clicks.Select(c => c.Id).Order(), rows.Select(r => Text(r, "event_id")).Order());
        var third = rows.Single(r => Text(r, "event_id") == $"{device}-C3");
        Assert.Equal("buy-3", Text(third, "element_id"));
        Assert.Equal("button", Text(third, "element_type"));
        Assert.Equal("Buy now", Text(third, "element_text"));
        Assert.Equal("product", Text(third, "page_name"));
        Assert.Equal("app://cart", Text(third, "target_url"));
        Assert.Equal("3", Text(third, "position"));
        Assert.Equal("ClickEvent", Text(third, "event_name"));
        Assert.Equal("android", Text(third, "os"));
        Assert.Equal(now - 3, third.GetProperty("ts_ms").GetInt64());
        Assert.Contains("\"elementId\":\"buy-3\"", Text(third, "event_params").Replace(" ", ""));
    }

    [Fact]
    public async Task Dispatch_AppInitEvents_LandInAppInitEvent()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var device = "init-" + Guid.NewGuid().ToString("N");

        await pipeline.DispatchAsync(Batch(Header(device), AppInit($"{device}-I0", now), AppInit($"{device}-I1", now)));

        var rows = await pipeline.WaitForRowsAsync("app_init_event", $"device_id = '{device}'", 2);
        Assert.Equal(2, rows.Count);
        var row = rows[0];
        Assert.Equal("Pixel 9", Text(row, "device_model"));
        Assert.Equal("Google", Text(row, "manufacturer"));
        Assert.Equal("15", Text(row, "os_version"));
        Assert.Equal("1080x2400", Text(row, "screen_resolution"));
        Assert.Equal("wifi", Text(row, "network_type"));
        Assert.Equal("1234", Text(row, "init_time_ms"));
        Assert.True(row.GetProperty("is_rooted").GetBoolean());
        Assert.Equal("5.1.0", Text(row, "app_version"));
    }

    [Fact]
    public async Task Dispatch_LaunchReferEvents_LandInClickHouseAndInPostgresReferralEvent()
    {
        await PostgresQuery.RequireAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var device = "refer-" + Guid.NewGuid().ToString("N");

        await pipeline.DispatchAsync(Batch(Header(device), LaunchRefer($"{device}-R0", now - 5, "u-1"), LaunchRefer($"{device}-R1", now, "u-2")));

        var clickHouse = await pipeline.WaitForRowsAsync("launch_refer_event", $"device_id = '{device}'", 2);
        Assert.Equal(["u-1", "u-2"], clickHouse.Select(r => Text(r, "referrer_id")).Order());
        Assert.All(clickHouse, r => Assert.Equal("diwali", Text(r, "campaign")));

        var postgres = await ReferralsAsync(device, 2);
        Assert.Equal(2, postgres.Count);
        var first = postgres[0];
        Assert.Equal($"{device}-R0", first["event_id"]);
        Assert.Equal("u-1", first["referrer_id"]);
        Assert.Equal("CODE-u-1", first["referral_code"]);
        Assert.Equal("diwali", first["campaign"]);
        Assert.Equal("whatsapp", first["source"]);
        Assert.Equal("app://invite/u-1", first["deep_link"]);
        Assert.Equal(77L, first["referee_user_id"]);
        Assert.Equal(device, first["referee_device_id"]);
        Assert.Equal(4242L, first["bb_device_id"]);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(now - 5).UtcDateTime, first["event_timestamp"]);
        Assert.Equal("u-1", first["params_referrer"]);
    }

    [Fact]
    public async Task Dispatch_SameBatchAgain_OnePostgresRowPerEvent()
    {
        await PostgresQuery.RequireAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var device = "dup-" + Guid.NewGuid().ToString("N");
        var events = Enumerable.Range(0, 4).Select(i => LaunchRefer($"{device}-R{i}", now, $"u-{i}")).ToArray();

        // A client retrying a batch it got no answer for: two copies in flight at once.
        await Task.WhenAll(pipeline.DispatchAsync(Batch(Header(device), events)), pipeline.DispatchAsync(Batch(Header(device), events)));
        await ReferralsAsync(device, events.Length);
        // The same events once more, after they are stored, with one new event: the new one lands in the same
        // transaction as the copies (one group, one stream message), so once it is there the copies were written.
        await pipeline.DispatchAsync(Batch(Header(device), [.. events, LaunchRefer($"{device}-new", now, "u-new")]));
        var rows = await ReferralsAsync(device, events.Length + 1, sentinel: $"{device}-new");

        Assert.Equal(events.Length + 1, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r["event_id"]).Distinct().Count());
        var clickHouse = await pipeline.WaitForRowsAsync("launch_refer_event", $"device_id = '{device}'", events.Length + 1);
        Assert.Equal(events.Length + 1, clickHouse.Count);
    }

    private async Task<List<Dictionary<string, object?>>> ReferralsAsync(string device, int expected, string? sentinel = null)
    {
        var sql = "SELECT *, event_params->>'referrerId' AS params_referrer " +
                  $"FROM \"{pipeline.PostgresSchema}\".referral_event WHERE referee_device_id = '{device}' ORDER BY event_id";
        try
        {
            return await Eventually.Until(() => PostgresQuery.RowsAsync(sql),
                rows => rows.Count >= expected && (sentinel is null || rows.Any(r => (string)r["event_id"]! == sentinel)), Patience,
                rows => $"expected {expected} rows in referral_event for {device}{(sentinel is null ? "" : $" including {sentinel}")}, found {rows.Count}");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException(ex.Message + "\n" + pipeline.Logs(), ex);
        }
    }

    private static string Text(JsonElement row, string column)
    {
        var value = row.GetProperty(column);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }
}
