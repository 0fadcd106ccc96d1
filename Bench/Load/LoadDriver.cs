using System.Diagnostics;
using Events.Protos;
using Grpc.Core;
using Grpc.Net.Client;

namespace Events.Bench.Load;

/// <summary>
/// Sends batches through the real gRPC front door. Closed loop: each client sends its next batch when the previous
/// one is answered (finds the peak). Open loop: sends are scheduled at the target rate whatever the answers do, and
/// latency counts from the intended send time, so a stall shows in the latency instead of silently lowering the
/// load (no coordinated omission).
/// </summary>
internal sealed class LoadDriver : IDisposable
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(30);
    private readonly BatchFactory _batches;
    private readonly GrpcChannel[] _channels;
    private readonly EventService.EventServiceClient[] _clients;
    private readonly int _maxInFlight;
    private int _inFlight;

    public LoadDriver(Uri address, BatchFactory batches, int clients, int maxInFlight)
    {
        _batches = batches;
        _maxInFlight = maxInFlight;
        // One HTTP/2 connection per client, as separate devices or services would have.
        _channels = Enumerable.Range(0, clients).Select(_ => GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                EnableMultipleHttp2Connections = true,
            },
        })).ToArray();
        _clients = _channels.Select(c => new EventService.EventServiceClient(c)).ToArray();
    }

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Runs <paramref name="plan"/> and returns once every call it started has been answered.</summary>
    public async Task RunAsync(PhasePlan plan, DispatchRecorder recorder, Action<DispatchBatch, long>? accepted, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        recorder.MeasureFrom = start + (long)(plan.Warmup.TotalSeconds * Stopwatch.Frequency);
        var end = recorder.MeasureFrom + (long)(plan.Duration.TotalSeconds * Stopwatch.Frequency);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(Stopwatch.GetElapsedTime(start, end));
        if (plan.EventLimit is { } limit)
        {
            _ = StopAtLimitAsync(recorder, limit, stop);
        }
        if (plan.Rate is { } rate)
        {
            await OpenLoopAsync(rate, recorder, accepted, stop.Token);
        }
        else
        {
            await Task.WhenAll(_clients.Select((_, i) => Task.Run(() => ClosedLoopAsync(i, recorder, accepted, stop.Token), CancellationToken.None)));
        }
        recorder.StopMeasuring(Math.Min(Stopwatch.GetTimestamp(), end));
        while (InFlight > 0)
        {
            await Task.Delay(10, CancellationToken.None);
        }
    }

    private async Task ClosedLoopAsync(int client, DispatchRecorder recorder, Action<DispatchBatch, long>? accepted, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Interlocked.Increment(ref _inFlight);
            await SendAsync(client, Stopwatch.GetTimestamp(), recorder, accepted);
        }
    }

    /// <summary>
    /// Sends on a thread of its own. A <see cref="Task.Delay(TimeSpan)"/> timer waits for a pool thread: on this machine
    /// it fired up to 1.4 ms late at the median and 3.5-8 ms at p99, which counted as dispatch latency. A sleeping
    /// thread wakes within ~0.1 ms of the millisecond it asked for (BENCHMARKS.md, "The benchmark's own clock").
    /// </summary>
    private Task OpenLoopAsync(double eventsPerSecond, DispatchRecorder recorder, Action<DispatchBatch, long>? accepted, CancellationToken stop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sender = new Thread(() =>
        {
            try
            {
                SendOnSchedule(eventsPerSecond, recorder, accepted, stop);
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "open-loop sender",
        };
        sender.Start();
        return done.Task;
    }

    private void SendOnSchedule(double eventsPerSecond, DispatchRecorder recorder, Action<DispatchBatch, long>? accepted, CancellationToken stop)
    {
        var interval = _batches.BatchSize / eventsPerSecond * Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        for (long k = 0; !stop.IsCancellationRequested; k++)
        {
            var intended = start + (long)(k * interval);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), intended);
            if (wait >= TimeSpan.FromMilliseconds(1))
            {
                // Whole milliseconds: the thread wakes up to 1 ms early, and the recorder counts from the actual send then.
                stop.WaitHandle.WaitOne(wait);
            }
            // At the cap the schedule keeps its times: the wait shows up in these calls' latency.
            while (InFlight >= _maxInFlight && !stop.IsCancellationRequested)
            {
                Thread.Sleep(1);
            }
            if (stop.IsCancellationRequested)
            {
                break;
            }
            Interlocked.Increment(ref _inFlight);
            var sentAt = Stopwatch.GetTimestamp();
            _ = SendAsync((int)(k % _clients.Length), recorder.ScheduledStart(intended, sentAt), recorder, accepted);
        }
    }

    private async Task SendAsync(int client, long startedAt, DispatchRecorder recorder, Action<DispatchBatch, long>? accepted)
    {
        var batch = _batches.Create(client);
        string outcome;
        try
        {
            var response = await _clients[client].dispatchAsync(batch.Message, deadline: DateTime.UtcNow + CallDeadline);
            outcome = Outcome.Of(response);
        }
        catch (RpcException ex)
        {
            outcome = Outcome.Of(ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
        {
            outcome = $"client {ex.GetType().Name}";
        }
        var answeredAt = Stopwatch.GetTimestamp();
        recorder.Record(startedAt, answeredAt, outcome, batch.Count);
        if (outcome == Outcome.Success)
        {
            accepted?.Invoke(batch, answeredAt);
        }
        Interlocked.Decrement(ref _inFlight);
    }

    private static async Task StopAtLimitAsync(DispatchRecorder recorder, long limit, CancellationTokenSource stop)
    {
        while (!stop.IsCancellationRequested && recorder.AcceptedMeasured < limit)
        {
            await Task.Delay(20, CancellationToken.None);
        }
        await stop.CancelAsync();
    }

    public void Dispose()
    {
        foreach (var channel in _channels) channel.Dispose();
    }
}
