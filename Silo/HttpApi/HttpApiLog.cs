namespace Events.Silo.HttpApi;

internal static partial class HttpApiLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "{Table} forwards events to {Host}")]
    public static partial void Forwarding(ILogger logger, string table, string host);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "{Table} is off: Events:HttpApi:Targets:{Table}:Url is not set; its routes are omitted")]
    public static partial void Off(ILogger logger, string table);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Forwarding {Count} {Table} events failed on attempt {Attempt} of {MaxAttempts}: {Reason}; retrying in {DelayMs} ms")]
    public static partial void Retrying(ILogger logger, int count, string table, int attempt, int maxAttempts, string reason, double delayMs);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Gave up forwarding {Count} {Table} events: {Reason}")]
    public static partial void GaveUp(ILogger logger, int count, string table, string reason);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "The API refused {Count} {Table} events: {Reason}")]
    public static partial void Refused(ILogger logger, int count, string table, string reason);
}
