using Events.Grains.Sinks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Events.Tests.Unit;

public sealed class SinkWatchdogTests
{
    private static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
    private readonly List<string> _calls = [];
    private int _flushes;
    private Exception? _registerFailure;

    private SinkWatchdog Create(TimeProvider? time = null) => new("event", Period,
        period =>
        {
            _calls.Add($"register {period}");
            return _registerFailure is null ? Task.CompletedTask : Task.FromException(_registerFailure);
        },
        () => { _calls.Add("unregister"); return Task.CompletedTask; },
        NullLogger.Instance, time);

    private Task Flush()
    {
        _flushes++;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RowsArrived_RegistersTheReminderOnce()
    {
        var watchdog = Create();

        watchdog.RowsArrived();
        watchdog.RowsArrived();
        await watchdog.Pending;

        Assert.Equal([$"register {Period}"], _calls);
        Assert.True(watchdog.IsRegistered);
    }

    [Fact]
    public async Task Tick_FlushesWhatWaits_AndKeepsTheReminderWhileRowsFlow()
    {
        var watchdog = Create();
        watchdog.RowsArrived();

        await watchdog.OnTickAsync(SinkWatchdog.ReminderName, Flush);
        watchdog.RowsArrived();
        await watchdog.OnTickAsync(SinkWatchdog.ReminderName, Flush);
        await watchdog.Pending;

        Assert.Equal(2, _flushes);
        Assert.Equal([$"register {Period}"], _calls);
    }

    [Fact]
    public async Task Tick_AfterIdleTicksWithoutRows_RemovesTheReminder_NextRowsRegisterAgain()
    {
        var watchdog = Create();
        watchdog.RowsArrived();

        for (var i = 0; i < SinkWatchdog.IdleTicks; i++) await watchdog.OnTickAsync(SinkWatchdog.ReminderName, Flush);
        await watchdog.Pending;
        Assert.False(watchdog.IsRegistered);
        Assert.Equal([$"register {Period}", "unregister"], _calls);

        watchdog.RowsArrived();
        await watchdog.Pending;
        Assert.Equal([$"register {Period}", "unregister", $"register {Period}"], _calls);
    }

    [Fact]
    public async Task Tick_OfANewActivation_CountsAsRegistered_AndDoesNotRemoveItAtOnce()
    {
        // A sink brought back on a survivor by its reminder has no rows yet: it keeps the reminder for a while.
        var watchdog = Create();

        await watchdog.OnTickAsync(SinkWatchdog.ReminderName, Flush);
        watchdog.RowsArrived();
        await watchdog.Pending;

        Assert.Equal(1, _flushes);
        Assert.Empty(_calls);
        Assert.True(watchdog.IsRegistered);
    }

    [Fact]
    public async Task Tick_WithAnotherReminderName_IsIgnored()
    {
        var watchdog = Create();

        await watchdog.OnTickAsync("someone-else", Flush);

        Assert.Equal(0, _flushes);
        Assert.False(watchdog.IsRegistered);
    }

    [Fact]
    public async Task Tick_WhenTheFlushFails_StillCompletes()
    {
        var watchdog = Create();

        await watchdog.OnTickAsync(SinkWatchdog.ReminderName, () => Task.FromException(new InvalidOperationException("ClickHouse is down")));
    }

    [Fact]
    public async Task RegisterFailure_IsRetriedByRows_OnlyAPeriodLater()
    {
        var clock = new ManualClock();
        _registerFailure = new InvalidOperationException("no reminder service");
        var watchdog = Create(clock);

        watchdog.RowsArrived();
        await watchdog.Pending;
        watchdog.RowsArrived();
        await watchdog.Pending;
        Assert.Single(_calls);
        Assert.False(watchdog.IsRegistered);

        _registerFailure = null;
        clock.Now += Period;
        watchdog.RowsArrived();
        await watchdog.Pending;
        Assert.Equal(2, _calls.Count);
        Assert.True(watchdog.IsRegistered);
    }

    [Theory]
    [InlineData("00:00:00.5", false)]
    [InlineData("00:00:01", true)]
    [InlineData("00:01:00", true)]
    [InlineData("01:00:00", true)]
    [InlineData("01:00:01", false)]
    public void Options_AcceptPeriodsFromOneSecondToOneHour(string period, bool valid)
    {
        var result = new SinkWatchdogOptionsValidator().Validate(null, new SinkWatchdogOptions { WatchdogPeriod = TimeSpan.Parse(period) });

        Assert.Equal(valid, result.Succeeded);
        if (!valid) Assert.Contains("Events:Sink:WatchdogPeriod", result.FailureMessage);
    }
}
