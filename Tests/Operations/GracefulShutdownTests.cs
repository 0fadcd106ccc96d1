using Events.Tests.Infrastructure;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.Operations;

/// <summary>
/// SIGTERM to a silo right after SUCCESS: the silo stops by itself (its sinks flush on deactivation, its consumers
/// give their unacknowledged messages back), and once it is restarted every acknowledged event is in ClickHouse.
/// </summary>
public sealed class GracefulShutdownTests(PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Silo_SigtermRightAfterSuccess_StopsByItselfAndLosesNoAcknowledgedEvent()
    {
        var device = "sigterm-" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        const int batches = 10;
        await Task.WhenAll(Enumerable.Range(0, batches).Select(b => pipeline.DispatchAsync(new Protos.Events
        {
            Header = Header(device),
            Events_ = { Launch($"{device}-L{b}", now), PageOpened($"{device}-P{b}", now), AddToCart($"{device}-A{b}", now) },
        })));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var byItself = await pipeline.Silo.StopAsync(Grace);
        Assert.True(byItself, $"the silo did not stop within {Grace.TotalSeconds:0} s of SIGTERM\n{pipeline.Logs()}");
        var stopTime = clock.Elapsed;

        await pipeline.RestartSiloAsync();
        var rows = await pipeline.WaitForRowsAsync("event", $"device_id = '{device}'", 3 * batches);

        Assert.Equal(3 * batches, rows.Select(r => r.GetProperty("event_id").GetString()).Distinct().Count());
        Assert.True(stopTime < Grace, $"stopped in {stopTime.TotalSeconds:0.0} s");
        TestContext.Current.SendDiagnosticMessage($"silo stopped {stopTime.TotalSeconds:0.0} s after SIGTERM; {rows.Count} rows present after restart");
    }

    [Fact]
    public async Task Silo_SigtermWhileADeliveryWaitsForTheFlushTimer_WritesAtOnceInsteadOfWaiting()
    {
        // With a 10 s flush interval the sink's first timer tick comes 10 s after it activates. A silo stops only once
        // its deliveries finish, so a delivery waiting for that tick would hold it up (or for Orleans' 30 s deactivation
        // timeout, which stops ticking timers): on SIGTERM the sinks write what waits at once.
        await using var slow = new PipelineFixture();
        slow.SiloEnvironment["Events__Sink__FlushInterval"] = "00:00:10";
        await slow.InitializeAsync();
        var device = "sigterm-wait-" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await slow.DispatchAsync(new Protos.Events { Header = Header(device), Events_ = { Launch($"{device}-L", now), PageOpened($"{device}-P", now) } });
        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.Current.CancellationToken); // the sink has the rows

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(await slow.Silo.StopAsync(Grace), $"the silo did not stop within {Grace.TotalSeconds:0} s of SIGTERM\n{slow.Logs()}");
        var stopTime = clock.Elapsed;
        Assert.True(stopTime < TimeSpan.FromSeconds(6), $"the silo took {stopTime.TotalSeconds:0.0} s to stop: a delivery waited for the flush timer\n{slow.Logs()}");

        await slow.RestartSiloAsync();
        var rows = await slow.WaitForRowsAsync("event", $"device_id = '{device}'", 2);
        Assert.Equal(2, rows.Select(r => r.GetProperty("event_id").GetString()).Distinct().Count());
        TestContext.Current.SendDiagnosticMessage($"silo stopped {stopTime.TotalSeconds:0.0} s after SIGTERM with a delivery waiting");
    }
}
