using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// A receiver's consumer on one channel, holding at most about <paramref name="maxHeldBytes"/> of messages received and
/// not yet settled. The broker bounds a consumer's unacknowledged messages by count only, and one message may carry
/// thousands of events. So past the budget the consumer is cancelled; its unacknowledged messages stay on the channel
/// and are settled as usual. Once settling has freed half the budget it consumes again, with a prefetch that fits the
/// room left: a queue with a backlog hands a new consumer its whole prefetch at once. A prefetch cut down that way
/// grows back when the room allows twice as many messages.
/// </summary>
internal sealed partial class RabbitMqConsumer(
    IChannel channel,
    string queue,
    int generation,
    long maxHeldBytes,
    ushort maxPrefetch,
    long typicalMessageBytes,
    ConcurrentQueue<RabbitMqDelivery> arrived,
    ILogger logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1); // one start, pause or resumption at a time
    private long _heldBytes;
    private long _typicalMessageBytes = typicalMessageBytes;
    private volatile string? _tag; // null while paused
    private ushort _prefetch;
    private int _pauseRequested;

    /// <summary>A running average of message sizes, handed on to the next channel's consumer.</summary>
    public long TypicalMessageBytes => Volatile.Read(ref _typicalMessageBytes);

    /// <summary>Bytes of this channel's messages received and not yet settled.</summary>
    public long HeldBytes => Volatile.Read(ref _heldBytes);

    public bool IsPaused => _tag is null;

    public ushort Prefetch => _prefetch;

    /// <summary>How many messages a consumer may be handed so that what it holds stays within the budget.</summary>
    internal static ushort FitPrefetch(long maxHeldBytes, long heldBytes, long typicalMessageBytes, ushort maxPrefetch) =>
        typicalMessageBytes <= 0
            ? maxPrefetch // nothing seen yet
            : (ushort)Math.Clamp((maxHeldBytes - heldBytes) / typicalMessageBytes, 1, maxPrefetch);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            await ConsumeAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Called for each of this channel's messages acknowledged or rejected; others' are not ours to count.</summary>
    public void Settled(RabbitMqReceipt receipt)
    {
        if (receipt.Generation == generation) Interlocked.Add(ref _heldBytes, -receipt.Bytes);
    }

    /// <summary>Resumes a paused consumer, or regrows a cut-down prefetch, when the room allows. Never throws.</summary>
    public async Task AdjustAsync(CancellationToken cancellationToken)
    {
        if (!ShouldConsumeAgain()) return;
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            if (!ShouldConsumeAgain() || !channel.IsOpen) return;
            // A prefetch applies to a consumer from its start: changing it takes a new consumer.
            if (_tag is { } tag) await channel.BasicCancelAsync(tag, noWait: false, cancellationToken);
            _tag = null;
            await ConsumeAsync(cancellationToken);
            LogResumed(queue, _prefetch, HeldBytes);
        }
        catch (Exception exception)
        {
            LogResumeFailed(exception, queue); // the receiver's next poll tries again, or opens a new channel
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool ShouldConsumeAgain() => _tag is null
        ? HeldBytes <= maxHeldBytes / 2
        : _prefetch < maxPrefetch && FitPrefetch(maxHeldBytes, HeldBytes, TypicalMessageBytes, maxPrefetch) >= 2 * _prefetch;

    private async Task ConsumeAsync(CancellationToken cancellationToken)
    {
        var prefetch = FitPrefetch(maxHeldBytes, HeldBytes, TypicalMessageBytes, maxPrefetch);
        // Applies to the consumers started after it on this channel.
        await channel.BasicQosAsync(prefetchSize: 0, prefetch, global: false, cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += OnReceivedAsync;
        _tag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);
        _prefetch = prefetch;
    }

    private Task OnReceivedAsync(object sender, BasicDeliverEventArgs message)
    {
        // The body's memory belongs to the client only during this callback: copy it.
        arrived.Enqueue(new RabbitMqDelivery(generation, message.DeliveryTag, message.Body.Span, message.Redelivered,
            message.Exchange, message.RoutingKey, message.BasicProperties));
        var size = message.Body.Length;
        // The client runs a channel's callbacks one at a time, so this plain running average is safe.
        var typical = _typicalMessageBytes;
        Volatile.Write(ref _typicalMessageBytes, typical == 0 ? size : typical + (size - typical) / 8);
        if (Interlocked.Add(ref _heldBytes, size) >= maxHeldBytes && Interlocked.Exchange(ref _pauseRequested, 1) == 0)
        {
            // Not awaited: this callback holds up the channel's next deliveries.
            _ = Task.Run(PauseAsync);
        }
        return Task.CompletedTask;
    }

    private async Task PauseAsync()
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            // Settling may have made room meanwhile.
            if (_tag is not { } tag || HeldBytes < maxHeldBytes) return;
            await channel.BasicCancelAsync(tag);
            _tag = null;
            LogPaused(queue, HeldBytes);
        }
        catch (Exception exception)
        {
            // A closed channel takes its consumer with it; the receiver opens a new one.
            if (channel.IsOpen) LogPauseFailed(exception, queue);
        }
        finally
        {
            Volatile.Write(ref _pauseRequested, 0);
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Paused consuming RabbitMQ queue {Queue}: {Bytes} bytes received and not yet settled")]
    private partial void LogPaused(string queue, long bytes);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Consuming RabbitMQ queue {Queue} again, prefetch {Prefetch}: {Bytes} bytes not yet settled")]
    private partial void LogResumed(string queue, ushort prefetch, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not pause consuming RabbitMQ queue {Queue}")]
    private partial void LogPauseFailed(Exception exception, string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not consume RabbitMQ queue {Queue} again; retrying at the next poll")]
    private partial void LogResumeFailed(Exception exception, string queue);
}
