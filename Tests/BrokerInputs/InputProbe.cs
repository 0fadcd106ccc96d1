using System.Collections.Concurrent;
using System.Text.Json;
using Events.Streaming.RabbitMQ;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Events.Tests.BrokerInputs;

/// <summary>What the input probe consumers saw, shared with the tests in this process. Keys are unique per test.</summary>
public static class InputProbe
{
    public const string Decoder = "probe-json";
    public const string Namespace = "input-probe";

    public static ConcurrentDictionary<string, ConcurrentQueue<string>> Received { get; } = new();

    /// <summary>Per key: one entry per delivery, the namespace of the stream it came on.</summary>
    public static ConcurrentDictionary<string, ConcurrentQueue<string>> Deliveries { get; } = new();

    /// <summary>Per key: where each accepted message came from, as "exchange routing-key".</summary>
    public static ConcurrentDictionary<string, ConcurrentQueue<string>> Origins { get; } = new();

    /// <summary>Keys whose consumer throws on every delivery while listed here (a store that is down), and its attempts.</summary>
    public static ConcurrentDictionary<string, bool> Failing { get; } = new();

    public static ConcurrentDictionary<string, int> Attempts { get; } = new();

    /// <summary>Keys whose messages the decoder refuses while listed here (a bug not fixed yet).</summary>
    public static ConcurrentDictionary<string, bool> Refusing { get; } = new();

    public static IReadOnlyCollection<string> ReceivedBy(string key) => Received.TryGetValue(key, out var items) ? items.ToArray() : [];

    public static IReadOnlyCollection<string> DeliveriesTo(string key) => Deliveries.TryGetValue(key, out var items) ? items.ToArray() : [];
}

/// <summary>
/// A decoder as an application writes one: a message is a JSON array of strings; anything else is refused with the
/// reason, and the body <c>"boom"</c> makes it throw; while its key is in <see cref="InputProbe.Refusing"/>, it refuses
/// everything. A routing key <c>key.K</c> sends the message to stream key K instead of the input's. The strings of a
/// delivery are folded into one event, lines apart.
/// </summary>
public sealed class InputProbeDecoder : IRabbitMqMessageDecoder
{
    public RabbitMqDecodeResult Decode(RabbitMqInputMessage message)
    {
        if (message.Body.Span.SequenceEqual("\"boom\""u8)) throw new InvalidOperationException("the probe decoder blew up");
        var key = message.Input.StreamKey;
        if (InputProbe.Refusing.ContainsKey(key)) return RabbitMqDecodeResult.Refuse("refused until the test fixes it");
        try
        {
            var items = JsonSerializer.Deserialize<List<string>>(message.Body.Span);
            if (items is null) return RabbitMqDecodeResult.Refuse("null is not a list");
            InputProbe.Origins.GetOrAdd(key, _ => new()).Enqueue($"{message.Exchange} {message.RoutingKey}");
            // A routing key "key.<k>" names the stream key of the message (one queue feeding several keys).
            return RabbitMqDecodeResult.Accept(items, message.RoutingKey.StartsWith("key.", StringComparison.Ordinal) ? message.RoutingKey[4..] : null);
        }
        catch (JsonException ex)
        {
            return RabbitMqDecodeResult.Refuse($"not a JSON list of strings: {ex.Message}");
        }
    }

    public IReadOnlyList<object> Combine(IReadOnlyList<object> events) => [string.Join('\n', events)];
}

public interface IInputProbeGrain : IGrainWithStringKey;

[RegexImplicitStreamSubscription(@"^input-probe(\.\d+)?$")]
public sealed class InputProbeGrain : Grain, IInputProbeGrain, IStreamSubscriptionObserver
{
    // One observer per stream, so each delivery is recorded with the namespace it came on.
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<string>().ResumeAsync(new Observer(this.GetPrimaryKeyString(), handleFactory.StreamId.GetNamespace() ?? ""));

    private sealed class Observer(string key, string streamNamespace) : IAsyncObserver<string>
    {
        public Task OnNextAsync(string item, StreamSequenceToken? token = null)
        {
            InputProbe.Attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
            if (InputProbe.Failing.ContainsKey(key)) throw new InvalidOperationException($"input probe '{key}' is set to fail");
            InputProbe.Deliveries.GetOrAdd(key, _ => new()).Enqueue(streamNamespace);
            foreach (var line in item.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                InputProbe.Received.GetOrAdd(key, _ => new()).Enqueue(line);
            }
            return Task.CompletedTask;
        }

        public Task OnCompletedAsync() => Task.CompletedTask;

        public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
    }
}
