using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Events.Api.Dispatch;

/// <summary>
/// Admits a publish only while the events in flight stay within <see cref="DispatchOptions.MaxEventsInFlight"/>.
/// Without it, an offered rate near capacity turns a short stall into a standing queue longer than the publish
/// timeout: every call then times out while the silos keep storing what nobody waits for.
/// </summary>
public sealed class DispatchAdmission : IDisposable
{
    private static readonly TimeSpan LogEvery = TimeSpan.FromSeconds(10);
    private readonly ConcurrencyLimiter _limiter;
    private readonly ILogger<DispatchAdmission> _logger;
    private readonly TimeProvider _time;
    private long _refusedSinceLog;
    private long _lastLogTimestamp;

    public DispatchAdmission(IOptions<DispatchOptions> options, TimeProvider time, ILogger<DispatchAdmission> logger)
    {
        Limit = options.Value.MaxEventsInFlight;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = Limit, QueueLimit = 0 });
        _time = time;
        _logger = logger;
        _lastLogTimestamp = time.GetTimestamp() - (long)(LogEvery.TotalSeconds * time.TimestampFrequency);
    }

    public int Limit { get; }

    public long EventsInFlight => Limit - (_limiter.GetStatistics()?.CurrentAvailablePermits ?? Limit);

    /// <summary>
    /// Starts <paramref name="publish"/> for <paramref name="events"/> events, or returns null, starting nothing, when
    /// they would pass the limit. A batch larger than the limit waits for an empty Api and then takes all of it.
    /// </summary>
    public Task? TryStart(int events, Func<Task> publish)
    {
        var permits = Math.Clamp(events, 1, Limit);
        var lease = _limiter.AttemptAcquire(permits);
        if (!lease.IsAcquired)
        {
            lease.Dispose();
            NoteRefused(events);
            return null;
        }
        Task task;
        try
        {
            task = publish();
        }
        catch
        {
            lease.Dispose();
            throw;
        }
        // Released when the silos answer, not when the caller stops waiting: a timed-out publish is still work in the
        // silo, and counting it keeps a stall from piling up more.
        task.ContinueWith(static (t, lease) =>
        {
            _ = t.Exception; // observed here: the caller may have stopped waiting
            ((RateLimitLease)lease!).Dispose();
        }, lease, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    // Refusals come by the thousand a second in an overload: one line per interval says how many.
    private void NoteRefused(int events)
    {
        Interlocked.Add(ref _refusedSinceLog, events);
        var last = Interlocked.Read(ref _lastLogTimestamp);
        var now = _time.GetTimestamp();
        if (_time.GetElapsedTime(last, now) >= LogEvery && Interlocked.CompareExchange(ref _lastLogTimestamp, now, last) == last)
        {
            DispatchLog.AtCapacity(_logger, Interlocked.Exchange(ref _refusedSinceLog, 0), EventsInFlight, Limit);
        }
    }

    public void Dispose() => _limiter.Dispose();
}
