namespace Events.Api.Security;

internal static partial class SecurityLog
{
    [LoggerMessage(EventId = 1202, Level = LogLevel.Information,
        Message = "Stored {Count} events older than {MaxAgeDays} days (oldest {OldestUtc:o}) from device {DeviceId}")]
    public static partial void OldEvents(ILogger logger, int count, double maxAgeDays, DateTimeOffset oldestUtc, string deviceId);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Stored {Count} events without a known type as UnknownEvent from device {DeviceId}")]
    public static partial void UnknownEvents(ILogger logger, int count, string deviceId);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "Refused a request to {Path} from {Remote}: no valid API key")]
    public static partial void Unauthenticated(ILogger logger, string path, string remote);
}
