using Events.Tests.Infrastructure;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.EndToEnd;

/// <summary>The sink watchdog on a single localhost silo, whose reminders are kept in memory.</summary>
public sealed class SinkWatchdogLocalhostTests
{
    [Fact]
    public async Task Sink_OnASingleLocalhostSilo_RegistersItsWatchdogOnRows_TicksAndRemovesItWhenIdle()
    {
        await using var pipeline = new PipelineFixture();
        pipeline.SiloEnvironment["Events__Sink__WatchdogPeriod"] = "00:00:02";
        pipeline.SiloEnvironment["Logging__LogLevel__Events.Grains.Sinks"] = "Debug";
        await pipeline.InitializeAsync();
        var run = "wl" + Guid.NewGuid().ToString("N")[..10];

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await pipeline.DispatchAsync(Batch(Header($"{run}-device"), Launch($"{run}-1", now)));
        await pipeline.WaitForRowsAsync("event", $"event_id = '{run}-1'", 1);

        // Registered with the rows, ticks every period, and is removed after two ticks without rows.
        string[] expected = ["Sink watchdog of event registered, every 00:00:02", "Sink watchdog tick for event", "Sink watchdog of event removed"];
        await Eventually.Until(() => Task.FromResult(pipeline.Silo.LinesSince(0)),
            lines => expected.All(e => lines.Any(l => l.Contains(e, StringComparison.Ordinal))), TimeSpan.FromSeconds(30),
            lines => $"expected the silo to log {string.Join(", then ", expected)}.\n{pipeline.Logs()}");
        Assert.DoesNotContain(pipeline.Silo.LinesSince(0), l => l.Contains("Could not register the sink watchdog", StringComparison.Ordinal));
    }
}
