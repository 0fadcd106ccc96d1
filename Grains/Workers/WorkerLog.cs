using Microsoft.Extensions.Logging;

namespace Events.Grains.Workers;

internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "No route for {Source}/{EventName}: {Count} events not stored")]
    public static partial void Unrouted(ILogger logger, string source, string eventName, int count);
}
