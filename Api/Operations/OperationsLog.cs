namespace Events.Api.Operations;

internal static partial class OperationsLog
{
    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Heartbeat set to {Beat}: the instance {Action} load balancers")]
    private static partial void HeartbeatChangedCore(ILogger logger, bool beat, string action);

    public static void HeartbeatChanged(ILogger logger, bool beat) =>
        HeartbeatChangedCore(logger, beat, beat ? "asks for traffic from" : "is drained from");

    [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "Shutting down: drained, finishing calls in flight (at most {Seconds} s)")]
    public static partial void ShuttingDown(ILogger logger, double seconds);
}
