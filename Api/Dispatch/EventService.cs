using Events.Api.Security;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Events.Api.Dispatch;

/// <summary>
/// The original wire contract: <c>/event.EventService/dispatch</c>, bound by <see cref="DispatchMethodProvider"/>
/// so that undecodable requests get INVALID_ARGUMENT rather than UNKNOWN.
/// </summary>
internal sealed class EventService(
    EventGrouper grouper,
    GroupPublisher publisher,
    IOptions<LimitsOptions> limits,
    SecurityMetrics metrics,
    ILogger<EventService> logger)
{
    public const string Source = "grpc";
    private static readonly Protos.Response Success = new() { Status = "SUCCESS" };

    public async Task<Protos.Response> Dispatch(Protos.Events request, ServerCallContext context)
    {
        if (DispatchValidator.Validate(request, limits.Value) is { } problem)
        {
            DispatchLog.Refused(logger, request.Events_.Count, problem);
            metrics.RefusedBatches.Add(1, new KeyValuePair<string, object?>("status", "invalid_argument"));
            throw new RpcException(new Status(StatusCode.InvalidArgument, problem));
        }
        var (groups, flags) = grouper.Group(request, Source);
        if (groups.Count == 0)
        {
            // An empty batch with a valid header: SUCCESS with nothing stored, as the original answered.
            return Success;
        }
        switch (await publisher.PublishAsync(Source, groups, worker: null, context.CancellationToken))
        {
            case PublishOutcome.Stored:
                Count(flags, request.Header.DeviceId);
                return Success;
            case PublishOutcome.AtCapacity:
                throw new RpcException(new Status(StatusCode.ResourceExhausted,
                    $"The service is at capacity ({publisher.Limit} events in flight); retry the batch after a short pause"));
            case PublishOutcome.TimedOut:
                throw new RpcException(new Status(StatusCode.Unavailable,
                    $"Events were not stored within {publisher.Timeout.TotalMilliseconds:0} ms; retry the batch"));
            default:
                throw new RpcException(new Status(StatusCode.Unavailable, "Events could not be stored; retry the batch"));
        }
    }

    // Counted by the grouper in the pass that flagged the events, so these counts match their error_event rows.
    private void Count(BatchFlags flags, string deviceId)
    {
        if (flags.OldEvents > 0)
        {
            metrics.OldEvents.Add(flags.OldEvents);
            SecurityLog.OldEvents(logger, flags.OldEvents, limits.Value.OldEventAge.TotalDays, DateTimeOffset.FromUnixTimeMilliseconds(flags.OldestMs), deviceId);
        }
        if (flags.FutureEvents > 0)
        {
            metrics.FutureEvents.Add(flags.FutureEvents);
        }
        if (flags.UnknownEvents > 0)
        {
            metrics.UnknownEvents.Add(flags.UnknownEvents);
            SecurityLog.UnknownEvents(logger, flags.UnknownEvents, deviceId);
        }
    }
}
