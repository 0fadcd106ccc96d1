using System.Diagnostics;

namespace Events.Grains.Publishing;

/// <summary>
/// Group commit for one table: groups that arrive while a message is being confirmed wait and leave
/// together in the next message. A lone group leaves at once, so coalescing adds no latency when idle
/// and makes messages bigger exactly when load is high. After a confirm, a message of fewer than
/// <see cref="PublisherOptions.LingerUntilEvents"/> events waits for more until its first group has waited
/// <see cref="PublisherOptions.Linger"/>. More messages are confirmed at once (up to
/// <see cref="PublisherOptions.MaxInFlightPerTable"/>) only while a full message's worth of events waits:
/// when one confirm at a time cannot keep up, not whenever a slot is free (BENCHMARKS.md), or once a message has
/// waited <see cref="PublisherOptions.SlowConfirm"/> for its confirm, so that the groups behind it do not wait too. A
/// group still waiting when its caller has stopped waiting is dropped, so an overloaded lane does not publish for nobody.
/// </summary>
internal sealed class PublishLane(string table, ISinkStreamSender sender, SinkBatchCodec codec, PublisherOptions options, PublishMetrics metrics)
{
    private readonly Lock _lock = new();
    private readonly List<Pending> _pending = [];
    private int _pendingEvents;
    private int _running;
    private TaskCompletionSource? _filled; // set while a drainer lingers; completed once enough events wait
    private int _slowConfirms; // messages waiting for their confirm longer than SlowConfirm
    private uint _nextShard = (uint)Random.Shared.Next();

    /// <summary>
    /// Completes once RabbitMQ confirmed the group's message; fails with a <see cref="TimeoutException"/> if the group
    /// was still waiting for a message <paramref name="waitAtMost"/> after it came.
    /// </summary>
    public Task EnqueueAsync(EventGroup group, TimeSpan waitAtMost)
    {
        var now = Stopwatch.GetTimestamp();
        var dropAfter = waitAtMost == Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : now + (long)(waitAtMost.TotalSeconds * Stopwatch.Frequency);
        var pending = new Pending(group, now, dropAfter);
        bool start;
        lock (_lock)
        {
            _pending.Add(pending);
            _pendingEvents += group.Events.Count;
            if (_filled is not null && _pendingEvents >= LingerUntilEvents)
            {
                _filled.TrySetResult();
                _filled = null;
            }
            start = TryClaimDrainer();
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
        var afterConfirm = false;
        while (true)
        {
            List<Pending> batch;
            TaskCompletionSource? filled = null;
            var linger = TimeSpan.Zero;
            lock (_lock)
            {
                // Leaving is safe while groups wait: MayStartMessage is false only with another message in flight,
                // and its drainer looks again when that message is confirmed.
                _running--;
                if (!TryClaimDrainer())
                {
                    return;
                }
                if (afterConfirm && (linger = LingerLeft()) > TimeSpan.Zero)
                {
                    // Groups came while the last message was confirmed, so more are coming: let them fill this one.
                    filled = _filled ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    batch = [];
                }
                else
                {
                    batch = TakeNextMessage();
                }
            }
            if (filled is not null)
            {
                await filled.Task.WaitAsync(linger).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                lock (_lock)
                {
                    if (_filled == filled) _filled = null;
                    batch = TakeNextMessage();
                }
            }
            if (batch.Count > 0)
            {
                await SendAsync(batch);
            }
            afterConfirm = true;
        }
    }

    private async Task SendAsync(List<Pending> batch)
    {
        var send = SendMessageAsync(batch);
        if (options.SlowConfirm <= TimeSpan.Zero || send.IsCompleted)
        {
            await send;
            return;
        }
        // The timer alone decides that the confirm is slow: measured by Stopwatch it fires up to a few ms early (3 in 200
        // of 20 ms waits here), so asking Stopwatch again could miss the groups already waiting.
        await send.WaitAsync(options.SlowConfirm).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (send.IsCompleted) return;
        bool start;
        lock (_lock)
        {
            _slowConfirms++;
            // The groups that wait behind the slow confirm leave in another message.
            start = TryClaimDrainer();
        }
        if (start) _ = Task.Run(DrainAsync);
        await send;
        lock (_lock) _slowConfirms--;
    }

    /// <summary>Never throws: the outcome goes to the batch's groups.</summary>
    private async Task SendMessageAsync(List<Pending> batch)
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

    // A full message never waits for more.
    private int LingerUntilEvents => Math.Min(options.LingerUntilEvents, options.MaxEventsPerMessage);

    /// <summary>How much longer the next message may wait for more groups: until its first group has waited Linger.</summary>
    private TimeSpan LingerLeft() => _pendingEvents < LingerUntilEvents
        ? options.Linger - Stopwatch.GetElapsedTime(_pending[0].Arrived)
        : TimeSpan.Zero;

    /// <summary>Under the lock: counts one more drainer if groups wait and another message may start.</summary>
    private bool TryClaimDrainer()
    {
        if (_pending.Count == 0 || !MayStartMessage()) return false;
        _running++;
        return true;
    }

    private bool MayStartMessage() =>
        _running == 0 || (_running < options.MaxInFlightPerTable && (_pendingEvents >= options.MaxEventsPerMessage || _slowConfirms > 0));

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

    private sealed class Pending(EventGroup group, long arrived, long dropAfter)
    {
        public EventGroup Group { get; } = group;

        /// <summary>Stopwatch timestamp of its arrival.</summary>
        public long Arrived { get; } = arrived;

        /// <summary>Stopwatch timestamp after which nobody waits for this group any more.</summary>
        public long DropAfter { get; } = dropAfter;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
