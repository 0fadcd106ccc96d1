using Events.Grains;
using Microsoft.Extensions.Options;

namespace Events.Api.Dispatch;

/// <summary>
/// What both doors (gRPC dispatch and the webhooks) do with a client's groups: hand them to their worker grains within
/// the admission limit, and report them stored only once RabbitMQ confirmed every group. The silo drops groups still
/// queued after the same publish timeout, since the client will not be told they were stored.
/// </summary>
internal sealed class GroupPublisher(EventWorkers workers, DispatchAdmission admission, IOptions<DispatchOptions> options,
    ILogger<GroupPublisher> logger)
{
    /// <summary>Events the Api admits at once (<see cref="DispatchOptions.MaxEventsInFlight"/>).</summary>
    public int Limit => admission.Limit;

    public TimeSpan Timeout => options.Value.PublishTimeout;

    /// <param name="source">Where the groups came in, for the log.</param>
    /// <param name="worker">The worker grain of every group (a webhook provider's), or null for each group's event type.</param>
    /// <param name="cancellationToken">The client went away: stops waiting by throwing, which no answer is needed for.</param>
    public async Task<PublishOutcome> PublishAsync(string source, IReadOnlyList<EventGroup> groups, string? worker,
        CancellationToken cancellationToken)
    {
        var events = 0;
        foreach (var group in groups) events += group.Events.Count;
        var timeout = Timeout;
        var publish = admission.TryStart(events, () => Task.WhenAll(groups.Select(g => workers.For(worker ?? g.EventName).PublishAsync(g, timeout))));
        if (publish is null)
        {
            return PublishOutcome.AtCapacity;
        }
        try
        {
            await publish.WaitAsync(timeout, cancellationToken);
            return PublishOutcome.Stored;
        }
        catch (TimeoutException)
        {
            DispatchLog.TimedOut(logger, events, source, timeout.TotalMilliseconds);
            return PublishOutcome.TimedOut;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DispatchLog.Failed(logger, events, source, ex);
            return PublishOutcome.Failed;
        }
    }
}
