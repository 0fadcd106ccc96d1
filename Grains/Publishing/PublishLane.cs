namespace Events.Grains.Publishing;

/// <summary>
/// Group commit for one table: groups that arrive while a message is being confirmed wait and leave
/// together in the next message. A lone group leaves at once, so coalescing adds no latency when idle
/// and makes messages bigger exactly when load is high. More messages are confirmed at once (up to
/// <see cref="PublisherOptions.MaxInFlightPerTable"/>) only while a full message's worth of events waits:
/// when one confirm at a time cannot keep up, not whenever a slot is free (BENCHMARKS.md).
/// </summary>
internal sealed class PublishLane(string table, ISinkStreamSender sender, SinkBatchCodec codec, PublisherOptions options)
{
    private readonly Lock _lock = new();
    private readonly List<Pending> _pending = [];
    private int _pendingEvents;
    private int _running;
    private uint _nextShard = (uint)Random.Shared.Next();

    public Task EnqueueAsync(EventGroup group)
    {
        var pending = new Pending(group);
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
                if (_pending.Count == 0 || !MayStartMessage())
                {
                    return;
                }
                _running++;
                batch = TakeNextMessage();
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

    /// <summary>Takes groups in arrival order up to the per-message event limit (always at least one).</summary>
    private List<Pending> TakeNextMessage()
    {
        var events = 0;
        var count = 0;
        while (count < _pending.Count && (count == 0 || events + _pending[count].Group.Events.Count <= options.MaxEventsPerMessage))
        {
            events += _pending[count].Group.Events.Count;
            count++;
        }
        var taken = _pending.GetRange(0, count);
        _pending.RemoveRange(0, count);
        _pendingEvents -= events;
        return taken;
    }

    private sealed class Pending(EventGroup group)
    {
        public EventGroup Group { get; } = group;
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
