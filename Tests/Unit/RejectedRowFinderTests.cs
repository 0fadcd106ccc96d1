using Events.Grains.Sinks;

namespace Events.Tests.Unit;

public sealed class RejectedRowFinderTests
{
    private readonly List<int> _written = [];
    private readonly Dictionary<int, int> _triesAlone = [];
    private int _inserts;

    /// <summary>A table that refuses any insert holding a bad row; transient rows fail with a timeout once.</summary>
    private Task Write(IReadOnlyList<int> rows, ISet<int> bad, ISet<int>? flakyOnce = null)
    {
        _inserts++;
        if (rows.Count == 1) _triesAlone[rows[0]] = _triesAlone.GetValueOrDefault(rows[0]) + 1;
        foreach (var row in rows)
        {
            if (bad.Contains(row) || flakyOnce?.Remove(row) == true)
            {
                return Task.FromException(new RowsRejectedException($"row {row} violates a constraint"));
            }
        }
        _written.AddRange(rows);
        return Task.CompletedTask;
    }

    private static Task NoWait(int attempt) => Task.CompletedTask;

    [Fact]
    public async Task WritesEveryGoodRow_AndReturnsTheBadOnes_AfterTwoRetriesAlone()
    {
        var rows = Enumerable.Range(0, 1000).ToList();
        var bad = new HashSet<int> { 13, 777 };
        var finder = new RejectedRowFinder<int>(r => Write(r, bad), maxRetries: 2, NoWait);

        var rejected = await finder.WriteAllButRejectedAsync(rows, "refused");

        Assert.Equal(rows.Except(bad).Order(), _written.Order());
        Assert.Equal([13, 777], rejected.Select(r => r.Row).Order());
        Assert.All(rejected, r => Assert.Equal(3, r.Attempts));
        Assert.All(rejected, r => Assert.Contains("violates a constraint", r.Reason));
        Assert.Equal(3, _triesAlone[13]);
        Assert.InRange(_inserts, 1, 60); // halving, not one insert per row
    }

    [Fact]
    public async Task ARowRefusedOnlyOnce_IsWritten_NotDeadLettered()
    {
        var flaky = new HashSet<int> { 5 };
        var finder = new RejectedRowFinder<int>(r => Write(r, new HashSet<int>(), flaky), maxRetries: 2, NoWait);

        var rejected = await finder.WriteAllButRejectedAsync(Enumerable.Range(0, 10).ToList(), "refused");

        Assert.Empty(rejected);
        Assert.Equal(Enumerable.Range(0, 10), _written.Order());
    }

    [Fact]
    public async Task ATransientError_Propagates_SoTheWholeGenerationIsRetried()
    {
        var finder = new RejectedRowFinder<int>(
            rows => rows.Contains(3) ? Task.FromException(new TimeoutException("clickhouse timed out")) : Task.CompletedTask,
            maxRetries: 2, NoWait);

        await Assert.ThrowsAsync<TimeoutException>(() => finder.WriteAllButRejectedAsync(Enumerable.Range(0, 8).ToList(), "refused"));
    }
}
