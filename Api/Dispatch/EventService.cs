using Events.Api.Security;
using Events.Grains;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Events.Api.Dispatch;

/// <summary>
/// The original wire contract: <c>/event.EventService/dispatch</c>, bound by <see cref="DispatchMethodProvider"/>
/// so that undecodable requests get INVALID_ARGUMENT rather than UNKNOWN.
/// </summary>
internal sealed class EventService(
    IGrainFactory grains,
    EventGrouper grouper,
    IOptions<DispatchOptions> options,
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
        var groups = grouper.Group(request, Source);
        if (groups.Count == 0)
        {
            // An empty batch with a valid header: SUCCESS with nothing stored, as the original answered.
            return Success;
        }
        var timeout = options.Value.PublishTimeout;
        try
        {
            // SUCCESS only once every group is confirmed by RabbitMQ.
            await Task.WhenAll(groups.Select(g => grains.GetGrain<IEventWorkerGrain>(g.EventName).PublishAsync(g)))
                .WaitAsync(timeout, context.CancellationToken);
            Flag(request, groups[0].ReceivedAtUtc);
            return Success;
        }
        catch (TimeoutException)
        {
            DispatchLog.TimedOut(logger, request.Events_.Count, timeout.TotalMilliseconds);
            throw new RpcException(new Status(StatusCode.Unavailable,
                $"Events were not stored within {timeout.TotalMilliseconds:0} ms; retry the batch"));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DispatchLog.Failed(logger, request.Events_.Count, ex);
            throw new RpcException(new Status(StatusCode.Unavailable, "Events could not be stored; retry the batch"));
        }
    }

    // The grouper's time, so these counts match the error_event rows the events got.
    private void Flag(Protos.Events request, DateTime receivedAtUtc)
    {
        var maxAge = limits.Value.OldEventAge;
        var flags = BatchFlags.Inspect(request, new DateTimeOffset(receivedAtUtc).ToUnixTimeMilliseconds(), maxAge, limits.Value.ClockSkew);
        if (flags.OldEvents > 0)
        {
            metrics.OldEvents.Add(flags.OldEvents);
            SecurityLog.OldEvents(logger, flags.OldEvents, maxAge.TotalDays, DateTimeOffset.FromUnixTimeMilliseconds(flags.OldestMs), request.Header.DeviceId);
        }
        if (flags.FutureEvents > 0)
        {
            metrics.FutureEvents.Add(flags.FutureEvents);
        }
        if (flags.UnknownEvents > 0)
        {
            metrics.UnknownEvents.Add(flags.UnknownEvents);
            SecurityLog.UnknownEvents(logger, flags.UnknownEvents, request.Header.DeviceId);
        }
    }
}
