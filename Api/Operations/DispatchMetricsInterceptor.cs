using System.Diagnostics;
using Events.Api.Dispatch;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Events.Api.Operations;

/// <summary>
/// Counts what <c>dispatch</c> accepted and refused, per event type, and times it, around the service rather than
/// inside it, so the dispatch code stays about dispatching.
/// </summary>
internal sealed class DispatchMetricsInterceptor : Interceptor
{
    private const string Source = "grpc";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (request is not Protos.Events batch)
        {
            return await continuation(request, context);
        }
        var clock = Stopwatch.StartNew();
        try
        {
            var response = await continuation(request, context);
            Count(batch, (type, count) => DispatchMetrics.CountAccepted(Source, type, count));
            DispatchMetrics.Observe(Source, "success", clock.Elapsed);
            return response;
        }
        catch (RpcException ex)
        {
            var reason = ex.StatusCode.ToString().ToLowerInvariant();
            Count(batch, (type, count) => DispatchMetrics.CountRefused(Source, type, reason, count));
            DispatchMetrics.Observe(Source, reason, clock.Elapsed);
            throw;
        }
    }

    private static void Count(Protos.Events batch, Action<string, int> add)
    {
        // Most batches hold a few types: a short list beats grouping.
        var counts = new List<(string Type, int Count)>();
        foreach (var evt in batch.Events_)
        {
            var type = EventTypes.NameOf(evt);
            var i = 0;
            while (i < counts.Count && counts[i].Type != type) i++;
            if (i == counts.Count) counts.Add((type, 1));
            else counts[i] = (type, counts[i].Count + 1);
        }
        foreach (var (type, count) in counts)
        {
            add(type, count);
        }
    }
}
