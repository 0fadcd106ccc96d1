using Microsoft.Extensions.Logging;

namespace Events.Grains.Sinks;

internal static partial class SinkWatchdogLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Sink watchdog of {Table} registered, every {Period}")]
    public static partial void Registered(ILogger logger, string table, TimeSpan period);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Debug, Message = "Sink watchdog tick for {Table} ({IdleTicks} ticks without rows)")]
    public static partial void Tick(ILogger logger, string table, int idleTicks);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "Sink watchdog woke {Table} on this silo, where it has had no rows yet ({IdleTicks} ticks without rows)")]
    public static partial void Woke(ILogger logger, string table, int idleTicks);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Debug, Message = "Sink watchdog of {Table} removed after {IdleTicks} ticks without rows")]
    public static partial void Unregistered(ILogger logger, string table, int idleTicks);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Could not {Action} the sink watchdog reminder of {Table}; the sink works without it")]
    public static partial void ChangeFailed(ILogger logger, string table, string action, Exception exception);
}
