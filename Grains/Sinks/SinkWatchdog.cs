using Microsoft.Extensions.Logging;

namespace Events.Grains.Sinks;

/// <summary>
/// Brings a table's sink back after its silo died, with an Orleans reminder (in Redis with Redis clustering).
/// The sink registers it when rows first reach an activation, so only tables in use have one. Each tick activates
/// the sink wherever the cluster places it now (on a survivor once the dead silo is declared dead) and flushes
/// whatever waits there, timer or not. After <see cref="IdleTicks"/> ticks without rows the reminder is removed:
/// an idle table keeps no activation alive, and its next rows register it again.
/// Not thread-safe: the sink grain's turns serialise calls.
/// </summary>
internal sealed class SinkWatchdog(
    string table,
    TimeSpan period,
    Func<TimeSpan, Task> register,
    Func<Task> unregister,
    ILogger logger,
    TimeProvider? time = null)
{
    public const string ReminderName = "sink-watchdog";
    public const int IdleTicks = 2;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private bool _registered;
    private int _ticksWithoutRows;
    private bool _sawRows;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;
    private Task _change = Task.CompletedTask;

    /// <summary>The watchdog of a sink grain: the reminder is the grain's own.</summary>
    public static SinkWatchdog For(Grain grain, string table, SinkWatchdogOptions options, ILogger logger) => new(
        table,
        options.WatchdogPeriod,
        period => grain.RegisterOrUpdateReminder(ReminderName, period, period),
        async () =>
        {
            if (await grain.GetReminder(ReminderName) is { } reminder) await grain.UnregisterReminder(reminder);
        },
        logger);

    /// <summary>True from the first rows (or tick) until the reminder is removed for idleness.</summary>
    public bool IsRegistered => _registered;

    /// <summary>Registration or removal in progress, if any (tests wait for it).</summary>
    public Task Pending => _change;

    /// <summary>The sink received rows. Registers the reminder unless it is (or a failed attempt is recent).</summary>
    public void RowsArrived()
    {
        _ticksWithoutRows = 0;
        _sawRows = true;
        if (_registered || _time.GetUtcNow() < _retryAt) return;
        _registered = true;
        _change = ChangeAsync(_change, toRegistered: true);
    }

    /// <summary>A reminder tick: flushes what waits and, after a long idle, removes the reminder.</summary>
    public async Task OnTickAsync(string reminderName, Func<Task> flush)
    {
        if (reminderName != ReminderName) return;
        _registered = true; // it exists: it just fired
        _ticksWithoutRows++;
        if (_sawRows) SinkWatchdogLog.Tick(logger, table, _ticksWithoutRows);
        else SinkWatchdogLog.Woke(logger, table, _ticksWithoutRows); // e.g. brought back here after its silo died
        if (_ticksWithoutRows >= IdleTicks)
        {
            _registered = false;
            _change = ChangeAsync(_change, toRegistered: false);
        }
        try
        {
            await flush();
        }
        catch (Exception)
        {
            // The flush logged it; the messages of those rows are redelivered. The tick itself succeeded.
        }
    }

    private async Task ChangeAsync(Task previous, bool toRegistered)
    {
        await previous; // never faults: each change catches its own failure
        try
        {
            if (toRegistered)
            {
                await register(period);
                SinkWatchdogLog.Registered(logger, table, period);
            }
            else
            {
                await unregister();
                SinkWatchdogLog.Unregistered(logger, table, IdleTicks);
            }
        }
        catch (Exception ex)
        {
            // Without a reminder the sink still works; it only loses the watchdog until rows try again.
            if (toRegistered) _registered = false;
            _retryAt = _time.GetUtcNow() + period;
            SinkWatchdogLog.ChangeFailed(logger, table, toRegistered ? "register" : "remove", ex);
        }
    }
}
