namespace Events.Grains.Publishing;

/// <summary>
/// Group commit for one table: groups that arrive while a message is being confirmed wait and leave
/// together in the next message. A lone group leaves at once, so coalescing adds no latency when idle
/// and makes messages bigger exactly when load is high. More messages are confirmed at once (up to
/// <see cref="PublisherOptions.MaxInFlightPerTable"/>) only while a full message's worth of events waits:
/// when one confirm at a time cannot keep up, not whenever a slot is free (BENCHMARKS.md). A group whose caller
/// stopped waiting before its message left is dropped, so an overloaded lane does not publish for nobody.
/// </summary>
internal sealed class PublishLane(string table, ISinkStreamSender sender, SinkBatchCodec codec, PublisherOptions options)
{
    private readonly Lock _lock = new();
    private readonly List<Pending> _pending = [];
    private int _pendingEvents;
    private int _running;
    private uint _nextShard = (uint)Random.Shared.Next();

    public Task EnqueueAsync(EventGroup group, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }
        var pending = new Pending(group);
        // Registered before the group can be taken, so that completing it always releases the registration. A
        // cancellation from here on marks it dropped even before it is queued: the lane then skips it.
        pending.Cancellation = cancellationToken.UnsafeRegister(_ => Drop(pending, cancellationToken), null);
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
            batch.ForEach(p => p.Complete(null));
        }
        catch (Exception ex)
        {
            batch.ForEach(p => p.Complete(ex));
        }
    }

    private bool MayStartMessage() =>
        _running == 0 || (_running < options.MaxInFlightPerTable && _pendingEvents >= options.MaxEventsPerMessage);

    /// <summary>
    /// Takes waiting groups in arrival order up to the per-message event limit (at least one if any waits), and
    /// forgets the dropped ones it passes.
    /// </summary>
    private List<Pending> TakeNextMessage()
    {
        var taken = new List<Pending>();
        var events = 0;
        var passed = 0;
        for (; passed < _pending.Count; passed++)
        {
            var next = _pending[passed];
            if (next.Dropped)
            {
                continue;
            }
            if (taken.Count > 0 && events + next.Group.Events.Count > options.MaxEventsPerMessage)
            {
                break;
            }
            next.Taken = true;
            taken.Add(next);
            events += next.Group.Events.Count;
        }
        _pending.RemoveRange(0, passed);
        _pendingEvents -= events;
        return taken;
    }

    // Marked, not removed: under overload thousands wait, and a removal per cancelled caller would scan them all.
    private void Drop(Pending pending, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (pending.Taken || pending.Dropped)
            {
                return; // on its way to RabbitMQ: its outcome stands
            }
            pending.Dropped = true;
            _pendingEvents -= pending.Group.Events.Count;
        }
        pending.Completion.TrySetCanceled(cancellationToken);
    }

    private sealed class Pending(EventGroup group)
    {
        public EventGroup Group { get; } = group;
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationTokenRegistration Cancellation { get; set; }
        public bool Taken { get; set; } // both flags change under the lane's lock
        public bool Dropped { get; set; }

        public void Complete(Exception? failure)
        {
            Cancellation.Dispose();
            if (failure is null)
            {
                Completion.TrySetResult();
            }
            else
            {
                Completion.TrySetException(failure);
            }
        }
    }
}
