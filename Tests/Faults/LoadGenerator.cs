using System.Collections.Concurrent;
using Events.Protos;
using Grpc.Core;
using Grpc.Net.Client;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.Faults;

/// <summary>
/// Concurrent gRPC clients that behave like real ones: each sends batches of events with unique ids
/// (<c>{run}-{n}</c>, three event types), and when the answer is UNAVAILABLE or the call fails in transport it
/// sends the same batch again after a short delay, until SUCCESS or the load stops. Every id answered SUCCESS
/// is recorded as acknowledged; every answer is counted by status.
/// </summary>
internal sealed class LoadGenerator : IAsyncDisposable
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Uri _address;
    private readonly LoadOptions _options;
    private readonly ConcurrentQueue<string> _acknowledged = new();
    private readonly ConcurrentDictionary<StatusCode, int> _answers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _clients = [];
    private long _nextId;
    private int _acknowledgedCount;

    public LoadGenerator(Uri address, LoadOptions options)
    {
        _address = address;
        _options = options;
        Run = "r" + Guid.NewGuid().ToString("N")[..10];
    }

    /// <summary>The prefix of every event id this load sends.</summary>
    public string Run { get; }

    public int AcknowledgedCount => Volatile.Read(ref _acknowledgedCount);

    public IReadOnlyCollection<string> Acknowledged => _acknowledged;

    /// <summary>Answers so far by status; transport failures count under the status the client reported.</summary>
    public IReadOnlyDictionary<StatusCode, int> Answers => new Dictionary<StatusCode, int>(_answers);

    public int AnswersWith(StatusCode status) => _answers.GetValueOrDefault(status);

    /// <summary>Answers that are neither SUCCESS nor retryable: refusals of valid batches, which are bugs.</summary>
    public int Refused => _answers.Where(a => a.Key != StatusCode.OK && !IsRetryable(a.Key)).Sum(a => a.Value);

    public void Start()
    {
        for (var i = 0; i < _options.Clients; i++)
        {
            var client = i;
            _clients.Add(Task.Run(() => RunClientAsync(client)));
        }
    }

    /// <summary>
    /// Waits until <paramref name="more"/> more events than now are acknowledged: proof that the pipeline accepts
    /// events at that point of the scenario.
    /// </summary>
    public async Task WaitForMoreAcknowledgedAsync(int more, TimeSpan timeout, string when)
    {
        var target = AcknowledgedCount + more;
        var deadline = DateTime.UtcNow + timeout;
        while (AcknowledgedCount < target)
        {
            if (_clients.FirstOrDefault(c => c.IsFaulted) is { } failed) await failed; // a bug in the client itself
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{when}: {AcknowledgedCount} of {target} events acknowledged after {timeout.TotalSeconds:0} s; answers so far: {DescribeAnswers()}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Stops sending: calls in flight finish (within their deadline), pending retries are dropped.</summary>
    public async Task StopAsync()
    {
        _stop.Cancel();
        await Task.WhenAll(_clients).WaitAsync(StopTimeout);
    }

    public string DescribeAnswers() =>
        string.Join(", ", _answers.OrderBy(a => a.Key).Select(a => $"{a.Key}={a.Value}"));

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await Task.WhenAll(_clients).WaitAsync(StopTimeout);
        }
        catch (Exception)
        {
            // Already reported by StopAsync or the test; disposing only makes sure nothing keeps sending.
        }
        _stop.Dispose();
    }

    private async Task RunClientAsync(int client)
    {
        using var channel = GrpcChannel.ForAddress(_address);
        var service = new EventService.EventServiceClient(channel);
        var header = Header($"{Run}-device-{client}");
        while (!_stop.IsCancellationRequested)
        {
            var batch = NextBatch(header);
            if (!await SendUntilAnsweredAsync(service, batch)) return;
            await PauseAsync(_options.PauseBetweenBatches);
        }
    }

    /// <summary>Sends one batch until SUCCESS (true), a refusal, or the stop (false).</summary>
    private async Task<bool> SendUntilAnsweredAsync(EventService.EventServiceClient service, Events.Protos.Events batch)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                // Not cancelled by the stop: a call in flight gets its answer, so SUCCESS is never missed.
                var response = await service.dispatchAsync(batch, deadline: DateTime.UtcNow + CallDeadline);
                if (response.Status != "SUCCESS")
                {
                    throw new InvalidOperationException($"dispatch answered OK with status '{response.Status}'");
                }
                Count(StatusCode.OK);
                foreach (var e in batch.Events_) _acknowledged.Enqueue(e.Id);
                Interlocked.Add(ref _acknowledgedCount, batch.Events_.Count);
                return true;
            }
            catch (RpcException ex) when (IsRetryable(ex.StatusCode))
            {
                Count(ex.StatusCode);
                await PauseAsync(RetryDelay);
            }
            catch (RpcException ex)
            {
                // A refusal is a bug here (every batch is valid): counted, and the test asserts there are none.
                Count(ex.StatusCode);
                return true;
            }
        }
        return false;
    }

    // UNAVAILABLE and RESOURCE_EXHAUSTED are the server's "not stored, retry"; the others are what a broken connection or a server
    // that went away mid-call looks like to a client. In every case the batch may or may not be stored.
    private static bool IsRetryable(StatusCode status) =>
        status is StatusCode.Unavailable or StatusCode.ResourceExhausted or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled;

    private Events.Protos.Events NextBatch(Header header)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var events = new Event[_options.EventsPerBatch];
        for (var i = 0; i < events.Length; i++)
        {
            var n = Interlocked.Increment(ref _nextId);
            var id = $"{Run}-{n}";
            events[i] = (n % 3) switch
            {
                0 => Launch(id, now),
                1 => PageOpened(id, now),
                _ => AddToCart(id, now),
            };
        }
        return Batch(header, events);
    }

    private void Count(StatusCode status) => _answers.AddOrUpdate(status, 1, (_, n) => n + 1);

    private async Task PauseAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
