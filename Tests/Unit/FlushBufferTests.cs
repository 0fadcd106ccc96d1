using Events.Grains.Sinks;

namespace Events.Tests.Unit;

public sealed class FlushBufferTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private readonly ManualClock _clock = new();
    private readonly List<int> _written = [];

    private static object[][] Rows(int n) => Enumerable.Range(0, n).Select(i => new object[] { i }).ToArray();

    private FlushBuffer<T> Buffer<T>(int maxRows) => new(maxRows, Interval, _clock);

    private Task Record<T>(IReadOnlyList<T> items)
    {
        _written.Add(items.Count);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Add_BelowThreshold_WaitsUntilFlushed()
    {
        var buffer = Buffer<object[]>(maxRows: 10);
        var written = new List<int>();

        var pending = buffer.Add(Rows(3), 3);
        Assert.False(buffer.HasSealed);
        Assert.False(pending.IsCompleted);

        _ = buffer.Seal();
        await buffer.WriteSealedAsync(rows => { written.Add(rows.Count); return Task.CompletedTask; });

        await pending;
        Assert.Equal([3], written);
        Assert.Equal(0, buffer.PendingRows);
    }

    [Fact]
    public async Task Add_ReachingThreshold_SealsAGeneration_AllCallersShareIt()
    {
        var buffer = Buffer<object[]>(maxRows: 5);
        var first = buffer.Add(Rows(3), 3);
        var second = buffer.Add(Rows(2), 2);
        var third = buffer.Add(Rows(1), 1);

        Assert.True(buffer.HasSealed);
        var written = new List<int>();
        await buffer.WriteSealedAsync(rows => { written.Add(rows.Count); return Task.CompletedTask; });

        await Task.WhenAll(first, second);
        Assert.Equal([5], written);
        Assert.False(third.IsCompleted);
        Assert.Equal(1, buffer.PendingRows);
    }

    [Fact]
    public async Task WriteFailure_FaultsEveryCallerOfThatGeneration_AndDropsItsRows()
    {
        var buffer = Buffer<object[]>(maxRows: 100);
        var first = buffer.Add(Rows(2), 2);
        var second = buffer.Add(Rows(2), 2);
        _ = buffer.Seal();

        await buffer.WriteSealedAsync(_ => throw new InvalidOperationException("clickhouse down"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => second);
        Assert.Equal(0, buffer.PendingRows);
    }

    [Fact]
    public async Task WriteSealed_OneWriterAtATime_SecondCallerReturnsAtOnce()
    {
        var buffer = Buffer<object[]>(maxRows: 1);
        var release = new TaskCompletionSource();
        var concurrent = 0;
        var maxConcurrent = 0;
        async Task Write(IReadOnlyList<object[]> rows)
        {
            maxConcurrent = Math.Max(maxConcurrent, ++concurrent);
            await release.Task;
            concurrent--;
        }

        var a = buffer.Add(Rows(1), 1);
        var firstWriter = buffer.WriteSealedAsync(Write);
        var b = buffer.Add(Rows(1), 1);
        var secondWriter = buffer.WriteSealedAsync(Write);

        Assert.True(secondWriter.IsCompleted);
        release.SetResult();
        await firstWriter;
        await Task.WhenAll(a, b);
        Assert.Equal(1, maxConcurrent);
    }

    [Fact]
    public void Seal_EmptyBuffer_IsCompleted()
    {
        Assert.True(Buffer<object[]>(10).Seal().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Add_CountsTheRowsAnItemHolds_NotTheItems()
    {
        // Items are stream messages: one of 4,000 events weighs 4,000 rows against the threshold.
        var buffer = Buffer<string>(maxRows: 5_000);

        var first = buffer.Add(["message of 4,000"], 4_000);
        Assert.False(buffer.HasSealed);
        var second = buffer.Add(["message of 1,000"], 1_000);

        Assert.True(buffer.HasSealed);
        Assert.Equal(5_000, buffer.PendingRows);
        var written = new List<IReadOnlyList<string>>();
        await buffer.WriteSealedAsync(items => { written.Add(items); return Task.CompletedTask; });
        await Task.WhenAll(first, second);
        Assert.Equal(["message of 4,000", "message of 1,000"], Assert.Single(written));
        Assert.Equal(0, buffer.PendingRows);
    }

    [Fact]
    public async Task SealIfDue_SealsOnlyOnceTheIntervalSinceTheLastSealIsOver()
    {
        var buffer = Buffer<object[]>(maxRows: 100);
        var pending = buffer.Add(Rows(3), 3);

        _clock.Advance(Interval - TimeSpan.FromMilliseconds(1));
        await TickAsync(buffer, Record);
        Assert.Empty(_written);
        Assert.False(pending.IsCompleted);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await TickAsync(buffer, Record);
        Assert.Equal([3], _written);
        Assert.True(pending.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task AfterAFullGeneration_TheNextWaitsAWholeInterval()
    {
        // Otherwise a table at its MaxRows rate would get a full insert and an interval's insert in the same interval.
        var buffer = Buffer<object[]>(maxRows: 5);
        _clock.Advance(Interval * 3);
        _ = buffer.Add(Rows(5), 5);
        await buffer.WriteSealedAsync(Record);
        var next = buffer.Add(Rows(1), 1);

        _clock.Advance(Interval / 2);
        await TickAsync(buffer, Record);
        Assert.False(next.IsCompleted);

        _clock.Advance(Interval / 2);
        await TickAsync(buffer, Record);
        Assert.Equal([5, 1], _written);
        Assert.True(next.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task RowsArrivingDuringALongInsert_LeaveTogether_AtTheFirstTickAfterIt()
    {
        var buffer = Buffer<object[]>(maxRows: 100);
        var insert = new TaskCompletionSource();
        Task Write(IReadOnlyList<object[]> rows)
        {
            _written.Add(rows.Count);
            return _written.Count == 1 ? insert.Task : Task.CompletedTask;
        }
        _clock.Advance(Interval);
        var first = buffer.Add(Rows(2), 2);
        var writer = TickAsync(buffer, Write);

        // Ticks while ClickHouse is slow seal nothing: the rows gather instead of queueing as small inserts.
        var second = buffer.Add(Rows(3), 3);
        _clock.Advance(Interval);
        await TickAsync(buffer, Write);
        var third = buffer.Add(Rows(4), 4);
        _clock.Advance(Interval);
        await TickAsync(buffer, Write);
        insert.SetResult();
        await writer;
        Assert.Equal([2], _written);

        await TickAsync(buffer, Write);
        Assert.Equal([2, 7], _written);
        Assert.All([first, second, third], t => Assert.True(t.IsCompletedSuccessfully));
    }

    [Fact]
    public async Task RowsArrivingDuringAShortInsert_WaitForTheirInterval()
    {
        var buffer = Buffer<object[]>(maxRows: 100);
        var insert = new TaskCompletionSource();
        _clock.Advance(Interval);
        _ = buffer.Add(Rows(2), 2);
        var writer = TickAsync(buffer, async rows => { _written.Add(rows.Count); await insert.Task; });
        var next = buffer.Add(Rows(3), 3);

        _clock.Advance(Interval / 5);
        insert.SetResult();
        await writer;
        await TickAsync(buffer, Record);
        Assert.False(next.IsCompleted);

        _clock.Advance(Interval);
        await TickAsync(buffer, Record);
        Assert.Equal([2, 3], _written);
        Assert.True(next.IsCompletedSuccessfully);
    }

    /// <summary>What the sink's timer does.</summary>
    private static Task TickAsync<T>(FlushBuffer<T> buffer, Func<IReadOnlyList<T>, Task> write) =>
        buffer.SealIfDue() ? buffer.WriteSealedAsync(write) : Task.CompletedTask;
}
