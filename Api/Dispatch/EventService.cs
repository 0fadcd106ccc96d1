using Events.Grains;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Events.Api.Dispatch;

/// <summary>The original wire contract: <c>/event.EventService/dispatch</c>.</summary>
internal sealed class EventService(
    IGrainFactory grains,
    EventGrouper grouper,
    IOptions<DispatchOptions> options,
    ILogger<EventService> logger) : Protos.EventService.EventServiceBase
{
    public const string Source = "grpc";
    private static readonly Protos.Response Success = new() { Status = "SUCCESS" };

    public override async Task<Protos.Response> dispatch(Protos.Events request, ServerCallContext context)
    {
        if (DispatchValidator.Validate(request) is { } problem)
        {
            DispatchLog.Refused(logger, request.Events_.Count, problem);
            throw new RpcException(new Status(StatusCode.InvalidArgument, problem));
        }
        var groups = grouper.Group(request, Source);
        if (groups.Count == 0)
        {
            return Success;
        }
        var timeout = options.Value.PublishTimeout;
        try
        {
            // SUCCESS only once every group is confirmed by RabbitMQ.
            await Task.WhenAll(groups.Select(g => grains.GetGrain<IEventWorkerGrain>(g.EventName).PublishAsync(g)))
                .WaitAsync(timeout, context.CancellationToken);
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
}
