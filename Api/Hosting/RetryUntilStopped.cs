namespace Events.Api.Hosting;

/// <summary>Keeps trying to reach the cluster, so the Api may start before the silos.</summary>
internal sealed partial class RetryUntilStopped(ILogger<RetryUntilStopped> logger) : IClientConnectionRetryFilter
{
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        WaitingForCluster(logger, exception.Message);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        return !cancellationToken.IsCancellationRequested;
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Cluster not reachable yet ({Reason}); retrying")]
    private static partial void WaitingForCluster(ILogger logger, string reason);
}
