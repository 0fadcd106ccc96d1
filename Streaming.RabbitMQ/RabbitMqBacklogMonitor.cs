using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// Counts the messages ready in the queues this silo consumes, with one passive declare per queue every
/// <see cref="RabbitMqStreamOptions.BacklogInterval"/> on a channel of its own: nothing per message, and only the
/// queue's current owner reports it, so the silos' figures add up. A queue is watched from when its receiver starts
/// until it shuts down (the queue moved to another silo).
/// </summary>
internal sealed partial class RabbitMqBacklogMonitor(RabbitMqStreamOptions options, RabbitMqConnector connector, ILogger logger)
    : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _watched = new();
    private readonly ConcurrentDictionary<string, long> _ready = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _startLock = new();
    private readonly SemaphoreSlim _checking = new(1, 1);
    private Task? _loop;
    private IChannel? _channel;

    /// <summary>Messages ready per watched queue, as of the last check (queues not checked yet are left out).</summary>
    public IEnumerable<KeyValuePair<string, long>> Ready => _ready.Where(queue => _watched.ContainsKey(queue.Key));

    public void Watch(string queue)
    {
        _watched.AddOrUpdate(queue, 1, (_, receivers) => receivers + 1);
        lock (_startLock)
        {
            _loop ??= Task.Run(() => RunAsync(_stop.Token));
        }
    }

    public void Unwatch(string queue)
    {
        if (_watched.AddOrUpdate(queue, 0, (_, receivers) => receivers - 1) <= 0)
        {
            _watched.TryRemove(queue, out _);
            _ready.TryRemove(queue, out _);
        }
    }

    /// <summary>Checks every watched queue once now.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await _checking.WaitAsync(cancellationToken);
        try
        {
            await CheckEachAsync(cancellationToken);
        }
        finally
        {
            _checking.Release();
        }
    }

    private async Task CheckEachAsync(CancellationToken cancellationToken)
    {
        foreach (var queue in _watched.Keys)
        {
            try
            {
                _channel = _channel is { IsOpen: true } open ? open : await connector.CreateChannelAsync(null, cancellationToken);
                var ready = await _channel.MessageCountAsync(queue, cancellationToken);
                if (_watched.ContainsKey(queue)) _ready[queue] = ready;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The broker is away or the queue is gone (which closes the channel): the next round tries again.
                _ready.TryRemove(queue, out _);
                LogCheckFailed(queue, exception.Message);
            }
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.BacklogInterval);
        try
        {
            do
            {
                await CheckAsync(cancellationToken);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        if (_channel is not null)
        {
            try
            {
                await _channel.CloseAsync();
            }
            catch (Exception)
            {
                // The connection may already be gone.
            }
            _channel.Dispose();
        }
        _stop.Dispose();
        _checking.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not count the messages ready in RabbitMQ queue {Queue}: {Reason}")]
    private partial void LogCheckFailed(string queue, string reason);
}
