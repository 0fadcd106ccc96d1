namespace Events.Grains.Sinks;

/// <summary>
/// Rows waiting for ClickHouse, in generations (of stream messages, each counting as its rows). Each caller gets the task of the generation
/// its rows joined; that task completes when the generation is written and faults when the
/// write fails, so a stream message is only acknowledged once its rows are stored.
/// A failed generation is dropped: its callers' messages are redelivered and bring the rows back.
/// Not thread-safe: the sink grain's turn-based scheduling serialises access.
/// </summary>
internal sealed class FlushBuffer<TItem>(int maxRows)
{
    private readonly Queue<Generation> _sealed = new();
    private Generation _current = new();
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
        return generation.Completion.Task;
    }

    /// <summary>
    /// Writes sealed generations one write at a time; a second caller returns at once. Generations sealed while a write
    /// ran go together in the next, up to maxRows rows: after a slow insert, the rows that waited for it are stored
    /// in one insert instead of a chain of them, each waiting for the last.
    /// </summary>
    public async Task WriteSealedAsync(Func<IReadOnlyList<TItem>, Task> write)
    {
        if (_flushing)
        {
            return;
        }
        _flushing = true;
        try
        {
            while (TakeSealed() is { Count: > 0 } generations)
            {
                try
                {
                    await write(generations.Count == 1 ? generations[0].Items : [.. generations.SelectMany(g => g.Items)]);
                    generations.ForEach(g => g.Completion.TrySetResult());
                }
                catch (Exception ex)
                {
                    generations.ForEach(g => g.Completion.TrySetException(ex));
                }
            }
        }
        finally
        {
            _flushing = false;
        }
    }

    /// <summary>The oldest sealed generation, and those behind it while all of them hold at most maxRows rows.</summary>
    private List<Generation> TakeSealed()
    {
        var taken = new List<Generation>();
        var rows = 0;
        while (_sealed.TryPeek(out var next) && (taken.Count == 0 || rows + next.RowCount <= maxRows))
        {
            taken.Add(_sealed.Dequeue());
            rows += next.RowCount;
        }
        return taken;
    }

    private sealed class Generation
    {
        public List<TItem> Items { get; } = [];
        public int RowCount { get; set; }
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
