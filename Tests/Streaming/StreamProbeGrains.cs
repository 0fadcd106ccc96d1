using System.Collections.Concurrent;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Events.Tests.Streaming;

/// <summary>What the probe consumers saw, shared with the tests in this process. Keys are unique per test.</summary>
public static class StreamProbe
{
    public const string Provider = "probe-rabbitmq";
    public const string Namespace = "probe";

    public static ConcurrentDictionary<string, ConcurrentQueue<string>> Received { get; } = new();
    public static ConcurrentDictionary<string, int> Attempts { get; } = new();

    /// <summary>Streams whose consumer throws on every delivery while listed here.</summary>
    public static ConcurrentDictionary<string, bool> Failing { get; } = new();

    public static IReadOnlyCollection<string> ReceivedBy(string key) =>
        Received.TryGetValue(key, out var items) ? items.ToArray() : [];
}

public interface IStreamProducerGrain : IGrainWithIntegerKey
{
    Task PublishAsync(string key, List<string> items);

    Task PublishAsync(string streamNamespace, string key, List<string> items);
}

public sealed class StreamProducerGrain : Grain, IStreamProducerGrain
{
    // One call, one stream message carrying every item.
    public Task PublishAsync(string key, List<string> items) => PublishAsync(StreamProbe.Namespace, key, items);

    public Task PublishAsync(string streamNamespace, string key, List<string> items) =>
        this.GetStreamProvider(StreamProbe.Provider).GetStream<string>(streamNamespace, key).OnNextBatchAsync(items);
}

public interface IStreamProbeGrain : IGrainWithStringKey;

[ImplicitStreamSubscription(StreamProbe.Namespace)]
public sealed class StreamProbeGrain : Grain, IStreamProbeGrain, IAsyncObserver<string>, IStreamSubscriptionObserver
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<string>().ResumeAsync(this);

    public Task OnNextAsync(string item, StreamSequenceToken? token = null)
    {
        var key = this.GetPrimaryKeyString();
        StreamProbe.Attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (StreamProbe.Failing.ContainsKey(key))
        {
            throw new InvalidOperationException($"probe consumer '{key}' is set to fail");
        }
        StreamProbe.Received.GetOrAdd(key, _ => new()).Enqueue(item);
        return Task.CompletedTask;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
