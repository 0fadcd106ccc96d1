namespace Events.Grains.Sinks;

/// <summary>
/// Rows waiting for ClickHouse, in generations (of stream messages, each counting as its rows). Each caller gets the
/// task of the generation its rows joined; that task completes when the generation is written and faults when the
/// write fails, so a stream message is only acknowledged once its rows are stored.
/// A failed generation is dropped: its callers' messages are redelivered and bring the rows back.
/// A generation is sealed when it holds <c>maxRows</c>, or by the sink's timer once <c>interval</c> has passed since
/// the last seal and no write is running. So a table gets at most one insert per interval (beyond full ones), and
/// while ClickHouse is slow the rows gather into one larger insert instead of a queue of small ones (BENCHMARKS.md,
/// "One insert at a time").
/// Not thread-safe: the sink grain's turn-based scheduling serialises access.
/// </summary>
internal sealed class FlushBuffer<TItem>(int maxRows, TimeSpan interval, TimeProvider clock)
{
    private readonly Queue<Generation> _sealed = new();
    private Generation _current = new();
    private long _lastSealed = clock.GetTimestamp();
    private bool _flushing;

    public int PendingRows => _current.RowCount + _sealed.Sum(g => g.RowCount);

    /// <summary>Adds items holding <paramref name="rows"/> rows; returns the task that completes when they are written.</summary>
    public Task Add(IReadOnlyList<TItem> items, int rows)
    {
        var generation = _current;
        generation.Items.AddRange(items);
        generation.RowCount += rows;
        if (generation.RowCount >= maxRows)
        {
            Seal();
        }
        return generation.Completion.Task;
    }

    /// <summary>True when a full generation waits to be written.</summary>
    public bool HasSealed => _sealed.Count > 0;

    /// <summary>Closes the current generation for writing; returns its completion.</summary>
    public Task Seal()
    {
        var generation = _current;
        if (generation.Items.Count == 0)
        {
            return Task.CompletedTask;
        }
        _sealed.Enqueue(generation);
        _current = new Generation();
        _lastSealed = clock.GetTimestamp();
        return generation.Completion.Task;
    }

    /// <summary>
    /// Seals the current generation if the interval since the last seal is over and no write is running; the sink's
    /// timer calls it a few times per interval. Not when a write ends: the deliveries that write releases bring their
    /// stream's next messages a moment later, and they would miss the generation and wait a whole extra cycle.
    /// </summary>
    public bool SealIfDue()
    {
        if (_flushing || _current.Items.Count == 0 || clock.GetElapsedTime(_lastSealed) < interval)
        {
            return false;
        }
        Seal();
        return true;
    }

    /// <summary>Writes sealed generations one at a time; a second caller returns at once.</summary>
    public async Task WriteSealedAsync(Func<IReadOnlyList<TItem>, Task> write)
    {
        if (_flushing)
        {
            return;
        }
        _flushing = true;
        try
        {
            while (_sealed.TryDequeue(out var generation))
            {
                try
                {
                    await write(generation.Items);
                    generation.Completion.TrySetResult();
                }
                catch (Exception ex)
                {
                    generation.Completion.TrySetException(ex);
                }
            }
        }
        finally
        {
            _flushing = false;
        }
    }

    private sealed class Generation
    {
        public List<TItem> Items { get; } = [];
        public int RowCount { get; set; }
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
