namespace Events.Api.Dispatch;

internal static partial class DispatchLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Refused a batch of {Count} events: {Reason}")]
    public static partial void Refused(ILogger logger, int count, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "{Count} events from {Source} were not confirmed within {TimeoutMs} ms")]
    public static partial void TimedOut(ILogger logger, int count, string source, double timeoutMs);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{Count} events from {Source} could not be stored")]
    public static partial void Failed(ILogger logger, int count, string source, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning,
        Message = "At capacity: refused {Events} events since the last such line; {InFlight} of {Limit} events in flight (Events:Dispatch:MaxEventsInFlight)")]
    public static partial void AtCapacity(ILogger logger, long events, long inFlight, int limit);
}
