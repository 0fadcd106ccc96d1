using System.Text.Json;
using Events.Tests.Infrastructure;
using Grpc.Core;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.EndToEnd;

/// <summary>
/// A real gRPC client against real silo and Api processes, with the real RabbitMQ and ClickHouse:
/// what is answered SUCCESS is in ClickHouse, exactly once; what is refused is not.
/// </summary>
public sealed class DispatchEndToEndTests(PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    [Fact]
    public async Task Dispatch_MixedBatches_EveryEventStoredOnceWithItsNameAndHeader()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var device = "dev-" + Guid.NewGuid().ToString("N");
        var expected = new Dictionary<string, string>();
        for (var b = 0; b < 20; b++)
        {
            var events = new[]
            {
                Launch($"{device}-L{b}", now - 60_000),
                PageOpened($"{device}-P{b}", now - 30_000),
                AddToCart($"{device}-A{b}", now - 1_000),
            };
            expected[events[0].Id] = "LaunchEvent";
            expected[events[1].Id] = "PageOpenedEvent";
            expected[events[2].Id] = "AddToCartEvent";
            await pipeline.DispatchAsync(Batch(Header(device), events));
        }

        var rows = await StoredRowsAsync(device, expected.Count);

        Assert.Equal(expected.Count, rows.Count);
        foreach (var row in rows)
        {
            var id = row.GetProperty("event_id").GetString()!;
            Assert.Equal(expected[id], row.GetProperty("event_name").GetString());
            Assert.Equal(device, row.GetProperty("device_id").GetString());
            Assert.Equal("4242", row.GetProperty("bb_device_id").ToString().Trim('"'));
            Assert.Equal("android", row.GetProperty("os").GetString());
            Assert.Equal("newsletter", row.GetProperty("utm_source").GetString());
        }
        var pageRow = rows.Single(r => r.GetProperty("event_id").GetString() == $"{device}-P0");
        Assert.Equal($"app://page/{device}-P0", pageRow.GetProperty("current_url").GetString());
        var launchRow = rows.Single(r => r.GetProperty("event_id").GetString() == $"{device}-L0");
        Assert.Equal("app://home", launchRow.GetProperty("current_url").GetString());
        Assert.Equal(now - 60_000, launchRow.GetProperty("ts_ms").GetInt64());
    }

    [Fact]
    public async Task Dispatch_FutureTimestamp_IsClampedToServerTime()
    {
        var device = "dev-" + Guid.NewGuid().ToString("N");
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var inTenYears = DateTimeOffset.UtcNow.AddYears(10).ToUnixTimeMilliseconds();

        await pipeline.DispatchAsync(Batch(Header(device), Launch($"{device}-future", inTenYears)));
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        var row = Assert.Single(await StoredRowsAsync(device, 1));
        var stored = row.GetProperty("ts_ms").GetInt64();
        Assert.InRange(stored, before, after);
    }

    [Fact]
    public async Task Dispatch_RefusedBatches_AreNotStored()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var device = "dev-" + Guid.NewGuid().ToString("N");

        var noDevice = await Assert.ThrowsAsync<RpcException>(() =>
            pipeline.Client.dispatchAsync(Batch(Header(""), Launch($"{device}-nodevice", now)), cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, noDevice.StatusCode);
        Assert.Contains("Incomplete event", noDevice.Status.Detail);

        var badTimestamp = Batch(Header(device), Launch($"{device}-ok", now), Launch($"{device}-bad", now));
        badTimestamp.Events_[1].Timestamp = "yesterday";
        var refused = await Assert.ThrowsAsync<RpcException>(() => pipeline.Client.dispatchAsync(badTimestamp, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("events[1]", refused.Status.Detail);

        // A good batch sent after them is stored; once it is there, the refused ones would be too.
        await pipeline.DispatchAsync(Batch(Header(device), Launch($"{device}-after", now)));
        var row = Assert.Single(await StoredRowsAsync(device, 1));
        Assert.Equal($"{device}-after", row.GetProperty("event_id").GetString());
        var noDeviceRows = await pipeline.ClickHouse.RowsAsync(
            $"SELECT event_id FROM `{pipeline.Database}`.event WHERE event_id = '{device}-nodevice'");
        Assert.Empty(noDeviceRows);
    }

    private Task<List<JsonElement>> StoredRowsAsync(string device, int expected) =>
        pipeline.WaitForRowsAsync("event", $"device_id = '{device}'", expected);
}
