using Events.Grains.Sinks;

namespace Events.Tests.Unit;

public sealed class FlushBufferTests
{
    private static object[][] Rows(int n) => Enumerable.Range(0, n).Select(i => new object[] { i }).ToArray();

    [Fact]
    public async Task Add_BelowThreshold_WaitsUntilFlushed()
    {
        var buffer = new FlushBuffer<object[]>(maxRows: 10);
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
        var buffer = new FlushBuffer<object[]>(maxRows: 5);
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
        var buffer = new FlushBuffer<object[]>(maxRows: 100);
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
        var buffer = new FlushBuffer<object[]>(maxRows: 1);
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
        Assert.True(new FlushBuffer<object[]>(10).Seal().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Add_CountsTheRowsAnItemHolds_NotTheItems()
    {
        // Items are stream messages: one of 4,000 events weighs 4,000 rows against the threshold.
        var buffer = new FlushBuffer<string>(maxRows: 5_000);

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
}
