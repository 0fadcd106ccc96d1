namespace Events.Grains.Sinks;

/// <summary>
/// Rows waiting for ClickHouse, in generations. Each caller gets the task of the generation
/// its rows joined; that task completes when the generation is written and faults when the
/// write fails, so a stream message is only acknowledged once its rows are stored.
/// A failed generation is dropped: its callers' messages are redelivered and bring the rows back.
/// Not thread-safe: the sink grain's turn-based scheduling serialises access.
/// </summary>
internal sealed class FlushBuffer<TRow>(int maxRows)
{
    private readonly Queue<Generation> _sealed = new();
    private Generation _current = new();
    private bool _flushing;

    public int PendingRows => _current.Rows.Count + _sealed.Sum(g => g.Rows.Count);

    /// <summary>Adds rows; returns the task that completes when they are written.</summary>
    public Task Add(IReadOnlyList<TRow> rows)
    {
        var generation = _current;
        generation.Rows.AddRange(rows);
        if (generation.Rows.Count >= maxRows)
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
        if (generation.Rows.Count == 0)
        {
            return Task.CompletedTask;
        }
        _sealed.Enqueue(generation);
        _current = new Generation();
        return generation.Completion.Task;
    }

    /// <summary>Writes sealed generations one at a time; a second caller returns at once.</summary>
    public async Task WriteSealedAsync(Func<IReadOnlyList<TRow>, Task> write)
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
                    await write(generation.Rows);
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
        public List<TRow> Rows { get; } = [];
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
