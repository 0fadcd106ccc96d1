using Microsoft.Extensions.Logging;

namespace Events.Grains.Sinks;

internal static partial class SinkLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Flushed {Rows} rows to {Table}")]
    public static partial void Flushed(ILogger logger, string table, int rows);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Flush of {Rows} rows to {Table} failed; their messages will be redelivered")]
    public static partial void FlushFailed(ILogger logger, string table, int rows, Exception exception);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Stream error in the sink of {Table}")]
    public static partial void StreamError(ILogger logger, string table, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "{Table} refused a flush of {Rows} rows ({Reason}); writing the others and dead-lettering the refused ones")]
    public static partial void RowsRejected(ILogger logger, string table, int rows, string reason);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "{Rows} rows refused by {Table} went to error_event and the dead-letter queue")]
    public static partial void DeadLettered(ILogger logger, string table, int rows);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "A stream message of {Events} events for {Table} could not be read ({Reason}); it went to the dead-letter queue")]
    public static partial void Unreadable(ILogger logger, string table, int events, string reason);
}
