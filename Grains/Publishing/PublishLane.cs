using System.Diagnostics;

namespace Events.Grains.Publishing;

/// <summary>
/// Group commit for one table: groups that arrive while a message is being confirmed wait and leave
/// together in the next message. A lone group leaves at once, so coalescing adds no latency when idle
/// and makes messages bigger exactly when load is high. More messages are confirmed at once (up to
/// <see cref="PublisherOptions.MaxInFlightPerTable"/>) only while a full message's worth of events waits:
/// when one confirm at a time cannot keep up, not whenever a slot is free (BENCHMARKS.md). A group still
/// waiting when its caller has stopped waiting is dropped, so an overloaded lane does not publish for nobody.
/// </summary>
internal sealed class PublishLane(string table, ISinkStreamSender sender, SinkBatchCodec codec, PublisherOptions options, PublishMetrics metrics)
{
    private readonly Lock _lock = new();
    private readonly List<Pending> _pending = [];
    private int _pendingEvents;
    private int _running;
    private uint _nextShard = (uint)Random.Shared.Next();

    /// <summary>
    /// Completes once RabbitMQ confirmed the group's message; fails with a <see cref="TimeoutException"/> if the group
    /// was still waiting for a message <paramref name="waitAtMost"/> after it came.
    /// </summary>
    public Task EnqueueAsync(EventGroup group, TimeSpan waitAtMost)
    {
        var dropAfter = waitAtMost == Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : Stopwatch.GetTimestamp() + (long)(waitAtMost.TotalSeconds * Stopwatch.Frequency);
        var pending = new Pending(group, dropAfter);
        bool start;
        lock (_lock)
        {
            _pending.Add(pending);
            _pendingEvents += group.Events.Count;
            start = MayStartMessage();
            if (start)
            {
                _running++;
            }
        }
        if (start)
        {
            // Off the caller's scheduler: a grain's scheduler must not own a loop serving other callers.
            _ = Task.Run(DrainAsync);
        }
        return pending.Completion.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_lock)
            {
                // Leaving is safe while groups wait: MayStartMessage is false only with another message in flight,
                // and its drainer looks again when that message is confirmed.
                _running--;
                if (!MayStartMessage() || TakeNextMessage() is not { Count: > 0 } next)
                {
                    return;
                }
                _running++;
                batch = next;
            }
            await SendAsync(batch);
        }
    }

    private async Task SendAsync(List<Pending> batch)
    {
        var shard = (int)(Interlocked.Increment(ref _nextShard) % (uint)options.ShardsPerTable);
        var message = codec.Encode(table, batch.ConvertAll(p => p.Group));
        try
        {
            await sender.SendAsync(SinkStreams.For(table, shard), message);
            batch.ForEach(p => p.Completion.TrySetResult());
        }
        catch (Exception ex)
        {
            batch.ForEach(p => p.Completion.TrySetException(ex));
        }
    }

    private bool MayStartMessage() =>
        _running == 0 || (_running < options.MaxInFlightPerTable && _pendingEvents >= options.MaxEventsPerMessage);

    /// <summary>
    /// Takes waiting groups in arrival order up to the per-message event limit (at least one if any waits), and drops
    /// the ones it passes whose callers have stopped waiting.
    /// </summary>
    private List<Pending> TakeNextMessage()
    {
        var now = Stopwatch.GetTimestamp();
        var taken = new List<Pending>();
        var events = 0;
        var passed = 0;
        for (; passed < _pending.Count; passed++)
        {
            var next = _pending[passed];
            if (next.DropAfter <= now)
            {
                Drop(next);
                continue;
            }
            if (taken.Count > 0 && events + next.Group.Events.Count > options.MaxEventsPerMessage)
            {
                break;
            }
            taken.Add(next);
            events += next.Group.Events.Count;
        }
        _pending.RemoveRange(0, passed);
        _pendingEvents -= events;
        return taken;
    }

    private void Drop(Pending pending)
    {
        _pendingEvents -= pending.Group.Events.Count;
        metrics.Dropped(table, pending.Group.Events.Count);
        pending.Completion.TrySetException(new TimeoutException($"the group waited longer than its caller for a message to {table}"));
    }

    private sealed class Pending(EventGroup group, long dropAfter)
    {
        public EventGroup Group { get; } = group;

        /// <summary>Stopwatch timestamp after which nobody waits for this group any more.</summary>
        public long DropAfter { get; } = dropAfter;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
