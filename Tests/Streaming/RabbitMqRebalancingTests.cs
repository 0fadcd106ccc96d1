using System.Collections.Concurrent;
using Events.Streaming.RabbitMQ;
using Events.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.TestingHost;

namespace Events.Tests.Streaming;

/// <summary>
/// The stream provider in a multi-silo in-process cluster against the real broker: while producers keep publishing,
/// a second silo joins and takes some queues, then leaves and the first silo takes them back. Nothing confirmed
/// may be lost, everything must end up acknowledged, and no queue may be read by two silos side by side.
/// </summary>
public sealed class RabbitMqRebalancingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int QueueCount = 8;
    private const int KeysPerQueue = 3;
    private const int Producers = 8;
    private const int ItemsPerPublish = 5;
    private const int SiloStartAttempts = 3;
    private const int MessagesPerQueueAndPhase = 5;
    private static readonly TimeSpan PublishPace = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromSeconds(20);

    private readonly string _prefix = $"t-rebal-{Guid.NewGuid():N}"[..24];
    private readonly QueueReadLog _log = new();
    private readonly ConcurrentQueue<string> _confirmed = new();
    private readonly ConcurrentQueue<string> _unconfirmed = new();
    private readonly ConcurrentQueue<string> _publishErrors = new();
    private readonly CancellationTokenSource _stopPublishing = new();
    private InProcessTestCluster? _cluster;

    public ValueTask InitializeAsync() => new(LocalServices.RequireAsync("RabbitMQ", LocalServices.RabbitMqPort));

    [Fact]
    public async Task SiloJoinsThenLeaves_WhilePublishing_QueuesMoveAndBack_NothingConfirmedIsLost_AllIsAcknowledged()
    {
        var keys = KeysCoveringEveryQueue();
        _cluster = await StartClusterAsync();
        var first = _cluster.GetActiveSilos().Single();
        _log.Phase = "one silo";
        var publishing = Task.WhenAll(Enumerable.Range(0, Producers).Select(p => PublishUntilStoppedAsync(_cluster.Client, p, keys)));
        try
        {
            await WaitUntilEveryQueueIsReadByItsOneOwnerAsync([first.Name]);

            var (second, moved) = await AddSiloThatTakesSomeQueuesAsync(first.Name);

            _log.Phase = "after removal";
            await _cluster.StopSiloAsync(second, TestContext.Current.CancellationToken);
            await WaitUntilEveryQueueIsReadByItsOneOwnerAsync([first.Name]);
            var reads = _log.Reads();
            Assert.All(moved, queue => Assert.Contains(reads, read => read.Phase == "after removal" && read.Queue == queue && read.Silo == first.Name));

            await _stopPublishing.CancelAsync();
            await publishing;
            var confirmed = _confirmed.ToHashSet();
            Assert.True(confirmed.Count > 0, $"no publish succeeded: {string.Join(" | ", _publishErrors.Take(3))}");
            await Eventually.Until(() => Task.FromResult(confirmed.Except(AllReceived()).ToList()), missing => missing.Count == 0,
                TimeSpan.FromSeconds(30), missing => $"{missing.Count} of {confirmed.Count} confirmed items never arrived, e.g. {string.Join(", ", missing.Take(5))}");
            var attempted = confirmed.Concat(_unconfirmed).ToHashSet();
            Assert.DoesNotContain(AllReceived(), item => !attempted.Contains(item));
            AssertNoQueueWasReadBySilosSideBySide();

            // Before stopping, the agent must have reported everything it read (so it was acked): stopping hands whatever
            // is still unacked back to the queues, which the last check would count against the provider.
            await Eventually.Until(async () => (Unreported: _log.Unreported(), Ready: await RabbitMqQueues.ReadyCountAsync(_prefix, QueueCount), Idle: _log.SinceLastRead()),
                state => state.Unreported == 0 && state.Ready == 0 && state.Idle > TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10),
                state => $"{state.Unreported} messages read but not reported delivered, {state.Ready} ready in the queues, last read {state.Idle.TotalMilliseconds:0} ms ago");
            await StopClusterAsync();
            var ready = await RabbitMqQueues.ReadyCountAsync(_prefix, QueueCount);
            Assert.True(ready == 0, $"{ready} messages were back in the queues once the cluster stopped: they had never been acknowledged");
        }
        finally
        {
            await _stopPublishing.CancelAsync();
            await publishing;
            Report();
        }
    }

    /// <summary>
    /// Starts a second silo and waits until the queues it owns are read by it alone. Which queues a silo gets depends on
    /// where its address hashes on Orleans' consistent ring; about one start in 128 puts all 8 queues on one silo, which
    /// would hand nothing over, so then that silo leaves again and another one (hashing elsewhere) joins.
    /// </summary>
    private async Task<(InProcessSiloHandle Silo, List<int> Moved)> AddSiloThatTakesSomeQueuesAsync(string first)
    {
        for (var attempt = 1; ; attempt++)
        {
            _log.Phase = attempt == 1 ? "two silos" : $"two silos, attempt {attempt}";
            var second = await _cluster!.StartAdditionalSiloAsync();
            var owners = await WaitUntilEveryQueueIsReadByItsOneOwnerAsync([first, second.Name]);
            var moved = owners.Where(pair => pair.Value == second.Name).Select(pair => pair.Key).ToList();
            output.WriteLine($"{second.Name} ({second.SiloAddress}) joined and took queues [{string.Join(",", moved)}]");
            if (moved.Count is > 0 and < QueueCount) return (second, moved);

            Assert.True(attempt < SiloStartAttempts, $"{SiloStartAttempts} silos in a row got {moved.Count} of {QueueCount} queues");
            _log.Phase = $"one silo again, attempt {attempt}";
            await _cluster.StopSiloAsync(second, TestContext.Current.CancellationToken);
            await WaitUntilEveryQueueIsReadByItsOneOwnerAsync([first]);
        }
    }

    /// <summary>
    /// Waits until every queue has exactly one open receiver, on one of <paramref name="silos"/>, and that silo has read
    /// a few messages from it in the current phase: the previous owner let go and the new one consumes. Returns queue → owner.
    /// </summary>
    private async Task<IReadOnlyDictionary<int, string>> WaitUntilEveryQueueIsReadByItsOneOwnerAsync(string[] silos)
    {
        var phase = _log.Phase;
        var state = await Eventually.Until(() => Task.FromResult((Owners: _log.Owners(QueueCount), Reads: _log.Reads())),
            s => s.Owners.All(pair => pair.Value.Length == 1 && silos.Contains(pair.Value[0])
                && s.Reads.Where(read => read.Phase == phase && read.Queue == pair.Key && read.Silo == pair.Value[0])
                    .Sum(read => read.Messages) >= MessagesPerQueueAndPhase),
            PhaseTimeout, s => $"phase '{phase}': " + string.Join("; ", s.Owners.Select(pair =>
                $"queue {pair.Key} owned by [{string.Join(",", pair.Value)}], read by " + string.Join(",", s.Reads
                    .Where(r => r.Phase == phase && r.Queue == pair.Key).GroupBy(r => r.Silo).Select(g => $"{g.Key} ({g.Sum(r => r.Messages)} messages)")))));
        return state.Owners.ToDictionary(pair => pair.Key, pair => pair.Value[0]);
    }

    /// <summary>Single active consumer: once a queue's next receiver has read it, no earlier receiver reads it again.</summary>
    private void AssertNoQueueWasReadBySilosSideBySide()
    {
        foreach (var queue in Enumerable.Range(0, QueueCount))
        {
            var turns = Turns(queue);
            Assert.True(turns.Distinct().Count() == turns.Count, $"queue {queue} was read by turns: {string.Join(" → ", turns)}");
        }
    }

    /// <summary>The receivers that read a queue, in order, each listed once per uninterrupted stretch of reads.</summary>
    private List<string> Turns(int queue)
    {
        var turns = new List<string>();
        foreach (var read in _log.Reads().Where(r => r.Queue == queue))
        {
            var receiver = $"{read.Silo}#{read.Receiver}";
            if (turns.Count == 0 || turns[^1] != receiver) turns.Add(receiver);
        }
        return turns;
    }

    private async Task PublishUntilStoppedAsync(IClusterClient client, int producer, IReadOnlyList<string> keys)
    {
        var grain = client.GetGrain<IStreamProducerGrain>(producer);
        for (var round = 0; !_stopPublishing.IsCancellationRequested; round++)
        {
            var key = keys[(round * Producers + producer) % keys.Count];
            var items = Enumerable.Range(0, ItemsPerPublish).Select(i => $"{key}#{producer}.{round}#{i}").ToList();
            try
            {
                await grain.PublishAsync(key, items).WaitAsync(TimeSpan.FromSeconds(10));
                foreach (var item in items) _confirmed.Enqueue(item);
            }
            catch (Exception exception)
            {
                // The call failed, yet the message may have reached the broker: its items may arrive, but need not.
                foreach (var item in items) _unconfirmed.Enqueue(item);
                _publishErrors.Enqueue($"{exception.GetType().Name}: {exception.Message}");
            }
            await Task.Delay(PublishPace);
        }
    }

    /// <summary>Stream keys chosen so that each queue carries <see cref="KeysPerQueue"/> of them.</summary>
    private List<string> KeysCoveringEveryQueue()
    {
        var mapper = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = QueueCount }, StreamProbe.Provider);
        var perQueue = new Dictionary<uint, int>();
        var keys = new List<string>();
        for (var i = 0; keys.Count < QueueCount * KeysPerQueue; i++)
        {
            var key = $"{_prefix}-k{i}";
            var queue = mapper.GetQueueForStream(StreamId.Create(StreamProbe.Namespace, key)).GetNumericId();
            if (perQueue.GetValueOrDefault(queue) == KeysPerQueue) continue;
            perQueue[queue] = perQueue.GetValueOrDefault(queue) + 1;
            keys.Add(key);
        }
        return keys;
    }

    private List<string> AllReceived() =>
        StreamProbe.Received.Where(pair => pair.Key.StartsWith(_prefix, StringComparison.Ordinal)).SelectMany(pair => pair.Value).ToList();

    private void Report()
    {
        var received = AllReceived();
        var distinct = received.Distinct().Count();
        output.WriteLine($"published: {_confirmed.Count} items confirmed, {_unconfirmed.Count} unconfirmed ({_publishErrors.Count} failed calls)");
        output.WriteLine($"received: {received.Count} items, {distinct} distinct, {received.Count - distinct} duplicates");
        foreach (var group in _log.Reads().GroupBy(read => (read.Phase, read.Silo)))
        {
            var perQueue = group.GroupBy(read => read.Queue).OrderBy(g => g.Key).Select(g => $"q{g.Key}:{g.Sum(read => read.Messages)}");
            output.WriteLine($"{group.Key.Phase}, {group.Key.Silo}: {group.Sum(read => read.Messages)} messages read ({string.Join(" ", perQueue)})");
        }
        foreach (var queue in Enumerable.Range(0, QueueCount)) output.WriteLine($"queue {queue} read by {string.Join(" → ", Turns(queue))}");
        var closed = _log.Receivers().Where(receiver => !receiver.Open).ToList();
        output.WriteLine($"receivers closed: {closed.Count}, holding {closed.Sum(r => r.UnreportedAtClose)} messages read but not reported " +
            "delivered yet: the broker gave them to the next owner, and those already delivered once are the duplicates");
        foreach (var error in _publishErrors.Distinct().Take(3)) output.WriteLine($"publish error: {error}");
    }

    private async Task<InProcessTestCluster> StartClusterAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((silo, siloBuilder) =>
        {
            siloBuilder.AddRabbitMqStreams(StreamProbe.Provider, streams =>
            {
                streams.ConfigureRabbitMq(ob => ob.Configure(options =>
                {
                    options.Port = LocalServices.RabbitMqPort;
                    options.QueueNamePrefix = _prefix;
                    options.QueueCount = QueueCount;
                }));
                streams.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly);
            });
            // Registered after the provider's own factory, so the provider resolves this wrapper around it.
            siloBuilder.Services.AddKeyedSingleton<IQueueAdapterFactory>(StreamProbe.Provider, (services, key) =>
                new RecordingQueueAdapterFactory(RabbitMqAdapterFactory.Create(services, (string)key!), silo.SiloName, _log));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private async Task StopClusterAsync()
    {
        if (_cluster is null) return;
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
        _cluster = null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopPublishing.CancelAsync();
        try
        {
            await StopClusterAsync();
        }
        finally
        {
            await RabbitMqQueues.DeleteAsync(_prefix, QueueCount);
            _stopPublishing.Dispose();
        }
    }
}
