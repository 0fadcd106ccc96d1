using System.Collections.Concurrent;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Events.Tests.Streaming;

/// <summary>What the batch probe saw, per stream key (unique per test).</summary>
public static class BatchProbe
{
    public const string Namespace = "probe-batch";

    /// <summary>The items of every delivery that succeeded, one list per delivery.</summary>
    public static ConcurrentDictionary<string, ConcurrentQueue<string[]>> Deliveries { get; } = new();

    /// <summary>Every delivery attempt's size, failed ones included.</summary>
    public static ConcurrentDictionary<string, ConcurrentQueue<int>> Attempts { get; } = new();

    /// <summary>While a stream is listed, its deliveries wait for this task (to let messages pile up behind them).</summary>
    public static ConcurrentDictionary<string, TaskCompletionSource> Gates { get; } = new();

    /// <summary>Streams whose deliveries of more than one message throw while listed here.</summary>
    public static ConcurrentDictionary<string, bool> FailingBatches { get; } = new();

    public static IReadOnlyList<string[]> DeliveriesOf(string key) =>
        Deliveries.TryGetValue(key, out var deliveries) ? deliveries.ToArray() : [];

    public static IReadOnlyList<int> AttemptsOf(string key) =>
        Attempts.TryGetValue(key, out var attempts) ? attempts.ToArray() : [];
}

public interface IBatchProbeGrain : IGrainWithStringKey;

/// <summary>A consumer like the table sinks: a batch observer, so one delivery may carry several messages.</summary>
[ImplicitStreamSubscription(BatchProbe.Namespace)]
public sealed class BatchProbeGrain : Grain, IBatchProbeGrain, IAsyncBatchObserver<string>, IStreamSubscriptionObserver
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<string>().ResumeAsync((IAsyncBatchObserver<string>)this);

    public async Task OnNextAsync(IList<SequentialItem<string>> items)
    {
        var key = this.GetPrimaryKeyString();
        BatchProbe.Attempts.GetOrAdd(key, _ => new()).Enqueue(items.Count);
        if (BatchProbe.Gates.TryGetValue(key, out var gate))
        {
            await gate.Task;
        }
        if (items.Count > 1 && BatchProbe.FailingBatches.ContainsKey(key))
        {
            throw new InvalidOperationException($"batch probe '{key}' is set to fail");
        }
        BatchProbe.Deliveries.GetOrAdd(key, _ => new()).Enqueue(items.Select(i => i.Item).ToArray());
    }

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
