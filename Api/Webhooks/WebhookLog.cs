namespace Events.Api.Webhooks;

internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Webhooks enabled: {Enabled}; disabled (no credential configured, answering 503): {Disabled}")]
    public static partial void Configured(ILogger logger, string enabled, string disabled);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Refused a {Provider} webhook with {Status}: {Reason}")]
    public static partial void Refused(ILogger logger, string provider, int status, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Refused a {Provider} webhook from {Remote}: {Reason}")]
    public static partial void Unauthenticated(ILogger logger, string provider, string? remote, string reason);


    [LoggerMessage(EventId = 1106, Level = LogLevel.Debug, Message = "Stored {Count} {Provider} webhook events")]
    public static partial void Accepted(ILogger logger, string provider, int count);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "The replay store (Redis) did not answer for a {Provider} webhook; refusing with 503: {Error} {Reason}")]
    public static partial void ReplayStoreUnavailable(ILogger logger, string provider, string error, string reason);
}
