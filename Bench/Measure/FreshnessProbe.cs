using System.Diagnostics;
using Events.Bench.Load;
using HdrHistogram;

namespace Events.Bench.Measure;

/// <summary>
/// End-to-end freshness, sampled: a few accepted events per second are followed from their SUCCESS until their id
/// is queryable in ClickHouse. One query for all outstanding samples, on the table's sorting key (event_name,
/// event_id), and only when an insert has committed since the last one (or a second has passed): such a lookup reads
/// a granule of every active part, 7-27 ms of ClickHouse's CPU, while the check reads only the parts' metadata
/// (BENCHMARKS.md, "Cheaper inserts and merges"). Resolution: the poll interval plus one query; the time taken is when
/// the answer that contained the id arrived, so the figure errs on the slow side.
/// </summary>
internal sealed class FreshnessProbe : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LookupAtLeastEvery = TimeSpan.FromSeconds(1);
    private const int MaxPerQuery = 500;

    private readonly ClickHouseHttp _clickHouse;
    private readonly string _table;
    private readonly string _tableName;
    private readonly TableInserts _inserts;
    private readonly long _sampleEvery;
    private readonly Lock _lock = new();
    private readonly List<Sample> _pending = [];
    private readonly HistogramBase _micros = new LongHistogram(1, 3_600_000_000, 3);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _poller;
    private long _lastSample;
    private long? _lastInsert;
    private long _lastLookup;
    private int _sampled;
    private int _pollErrors;
    private string? _lastError;

    public FreshnessProbe(ClickHouseHttp clickHouse, TableInserts inserts, string database, string table, double samplesPerSecond)
    {
        _clickHouse = clickHouse;
        _inserts = inserts;
        _table = $"`{database}`.`{table}`";
        _tableName = table;
        _sampleEvery = samplesPerSecond > 0 ? (long)(Stopwatch.Frequency / samplesPerSecond) : long.MaxValue;
        _poller = samplesPerSecond > 0 ? Task.Run(PollAsync) : Task.CompletedTask;
    }

    /// <summary>Called for every accepted batch; follows its first event if a sample is due.</summary>
    public void Offer(DispatchBatch batch, long answeredAt)
    {
        var last = Interlocked.Read(ref _lastSample);
        if (answeredAt - last < _sampleEvery || Interlocked.CompareExchange(ref _lastSample, answeredAt, last) != last)
        {
            return;
        }
        lock (_lock)
        {
            _pending.Add(new Sample(batch.FirstName, batch.FirstId, answeredAt));
            _sampled++;
        }
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) for the outstanding samples, then reports; late ones count as missing.</summary>
    public async Task<FreshnessResult> FinishAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Pending > 0 && Stopwatch.GetTimestamp() < deadline && !_poller.IsCompleted)
        {
            await Task.Delay(PollInterval);
        }
        await _stop.CancelAsync();
        await _poller;
        lock (_lock)
        {
            return new FreshnessResult(_sampled, _sampled - _pending.Count, _pending.Count, _pollErrors, _lastError,
                Percentiles.FromMicros(_micros));
        }
    }

    private int Pending
    {
        get { lock (_lock) return _pending.Count; }
    }

    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            List<Sample> batch;
            lock (_lock) batch = _pending.Take(MaxPerQuery).ToList();
            if (batch.Count > 0 && await LookupDueAsync())
            {
                await PollOnceAsync(batch);
            }
            try { await Task.Delay(PollInterval, _stop.Token); } catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>True when an insert committed since the last lookup, or the last one was a second ago.</summary>
    private async Task<bool> LookupDueAsync()
    {
        try
        {
            var lastInsert = await _inserts.BlocksAsync(_tableName, _stop.Token);
            var due = lastInsert != _lastInsert || Stopwatch.GetElapsedTime(_lastLookup) >= LookupAtLeastEvery;
            _lastInsert = lastInsert;
            return due;
        }
        catch (Exception ex) when (ex is HttpRequestException or ClickHouseHttpException or TaskCanceledException)
        {
            return true; // the lookup then says whether ClickHouse answers
        }
    }

    private async Task PollOnceAsync(List<Sample> batch)
    {
        _lastLookup = Stopwatch.GetTimestamp();
        var names = string.Join(",", batch.Select(s => s.Name).Distinct().Select(ClickHouseHttp.Quote));
        var ids = string.Join(",", batch.Select(s => ClickHouseHttp.Quote(s.Id)));
        try
        {
            var rows = await _clickHouse.RowsAsync(
                $"SELECT event_id FROM {_table} WHERE event_name IN ({names}) AND event_id IN ({ids})", _stop.Token);
            var seenAt = Stopwatch.GetTimestamp();
            var found = rows.Select(r => r[0]).ToHashSet(StringComparer.Ordinal);
            lock (_lock)
            {
                foreach (var sample in batch.Where(s => found.Contains(s.Id)))
                {
                    _pending.Remove(sample);
                    _micros.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(sample.AcceptedAt, seenAt).TotalMicroseconds));
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is HttpRequestException or ClickHouseHttpException or TaskCanceledException)
        {
            Interlocked.Increment(ref _pollErrors);
            _lastError = ex.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _poller;
        _stop.Dispose();
    }

    private sealed record Sample(string Name, string Id, long AcceptedAt);
}
