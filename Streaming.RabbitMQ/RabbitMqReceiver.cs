using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;
using Orleans.Streams;
using RabbitMQ.Client;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// Reads one queue for the pulling agent. Messages are acknowledged only when the agent reports them delivered,
/// which happens after every consumer's <c>OnNextAsync</c> for them has completed. Messages the agent gave up on
/// (never reported, while later ones were) are returned to the queue. If the channel drops, its unacknowledged
/// messages go back to the queue by themselves; the receiver opens a new channel and never acks the old tags.
/// What the queue holds and how to read it is the <paramref name="source"/>'s business; how much of it the silo holds
/// at once, the <see cref="RabbitMqConsumer"/>'s.
/// </summary>
internal sealed partial class RabbitMqReceiver(
    IRabbitMqQueueSource source,
    RabbitMqStreamOptions options,
    RabbitMqConnector connector,
    ILogger<RabbitMqReceiver> logger,
    RabbitMqBacklogMonitor? backlog = null) : IQueueAdapterReceiver
{
    /// <summary>A receiver of one of the provider's own stream queues.</summary>
    public RabbitMqReceiver(string queue, RabbitMqStreamOptions options, RabbitMqConnector connector,
        Serializer<RabbitMqBatchContainer> serializer, ILogger<RabbitMqReceiver> logger)
        : this(new StreamQueueSource(queue, options, serializer), options, connector, logger)
    {
    }

    private static readonly TimeSpan MaxReopenDelay = TimeSpan.FromSeconds(10);
    private const int MaxDeliveriesPerRead = 100_000;
    private readonly string queue = source.Queue;
    private readonly ConcurrentQueue<RabbitMqDelivery> _arrived = new();
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, RabbitMqReceipt[]> _unacked = new(); // sequence number → the batch's deliveries
    private IChannel? _channel;
    private RabbitMqConsumer? _consumer; // the current channel's
    private int _generation;
    private long _nextSequence;
    private DateTime _reopenAfterUtc = DateTime.MinValue;
    private TimeSpan _reopenDelay = options.ReconnectDelay;
    private bool _shutDown;

    public Task Initialize(TimeSpan timeout) => Initialize(timeout, CancellationToken.None);

    public async Task Initialize(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        // A broker that is down now must not stop the silo from starting: reading retries on every poll.
        await TryOpenChannelAsync(limit.Token);
        backlog?.Watch(queue);
    }

    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        if (_shutDown) return [];
        if (_channel is not { IsOpen: true } && !await TryOpenChannelAsync(cancellationToken)) return [];
        await _consumer!.AdjustAsync(cancellationToken);

        if (maxCount < 0) maxCount = MaxDeliveriesPerRead; // no cache: no limit from it
        var taken = new List<RabbitMqDelivery>();
        var limit = (int)Math.Min((long)maxCount * source.MaxMessagesPerBatch, MaxDeliveriesPerRead);
        while (taken.Count < limit && _arrived.TryDequeue(out var delivery))
        {
            if (delivery.Generation != _generation)
            {
                delivery.ReturnBody(); // from a closed channel: the broker requeued it
                continue;
            }
            taken.Add(delivery);
        }
        if (taken.Count == 0) return [];

        RabbitMqRead read;
        try
        {
            read = source.Read(taken, maxCount);
            foreach (var (delivery, reason) in read.Refused)
            {
                await RefuseAsync(delivery, reason, cancellationToken);
            }
        }
        finally
        {
            // Read copies what it keeps, and a refused body has been dead-lettered by now.
            taken.ForEach(delivery => delivery.ReturnBody());
        }
        var batch = new List<IBatchContainer>(read.Batches.Count);
        lock (_lock)
        {
            foreach (var (container, deliveries) in read.Batches)
            {
                var sequence = ++_nextSequence;
                container.Token = new EventSequenceTokenV2(sequence);
                _unacked.Add(sequence, Array.ConvertAll(deliveries, delivery => delivery.Receipt));
                batch.Add(container);
            }
        }
        return batch;
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0) return;
        var delivered = new List<RabbitMqReceipt>(messages.Count);
        var abandoned = new List<KeyValuePair<long, RabbitMqReceipt[]>>();
        lock (_lock)
        {
            long newest = 0;
            foreach (var message in messages)
            {
                var sequence = ((RabbitMqBatchContainer)message).Token.SequenceNumber;
                if (_unacked.Remove(sequence, out var deliveries)) delivered.AddRange(deliveries);
                newest = Math.Max(newest, sequence);
            }
            // The cache reports in arrival order and leaves out what the agent gave up on: anything older than the
            // newest delivered message that is still unacknowledged will never be reported.
            abandoned.AddRange(_unacked.TakeWhile(pair => pair.Key < newest));
            foreach (var (sequence, _) in abandoned) _unacked.Remove(sequence);
        }
        foreach (var receipt in delivered) await AckAsync(receipt, cancellationToken);
        foreach (var receipt in abandoned.SelectMany(pair => pair.Value))
        {
            LogAbandoned(queue, receipt.Tag);
            await RejectAsync(receipt, requeue: true);
        }
        if (_consumer is { } consumer) await consumer.AdjustAsync(cancellationToken); // settling may have made room
    }

    public Task Shutdown(TimeSpan timeout) => Shutdown(timeout, CancellationToken.None);

    public async Task Shutdown(TimeSpan timeout, CancellationToken cancellationToken)
    {
        _shutDown = true;
        backlog?.Unwatch(queue);
        var channel = _channel;
        _channel = null;
        if (channel is null) return;
        try
        {
            // Closing hands every unacknowledged message back to the queue, for this queue's next owner.
            await channel.CloseAsync(cancellationToken);
        }
        catch (Exception exception)
        {
            LogCloseFailed(exception, queue);
        }
        channel.Dispose();
    }

    // Never throws and never waits for the messages behind it: a message that cannot be read is kept aside.
    private async Task RefuseAsync(RabbitMqDelivery delivery, string reason, CancellationToken cancellationToken)
    {
        LogRefused(queue, delivery.Tag, delivery.Length, reason);
        var kept = false;
        try
        {
            kept = await source.KeepRefusedAsync(delivery, reason, cancellationToken);
        }
        catch (Exception exception)
        {
            LogKeepFailed(exception, queue, delivery.Tag);
        }
        if (kept) await AckAsync(delivery.Receipt, cancellationToken);
        else await RejectAsync(delivery.Receipt, requeue: false);
    }

    private async Task<bool> TryOpenChannelAsync(CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow < _reopenAfterUtc) return false;
        var old = _channel;
        _channel = null;
        old?.Dispose();
        var generation = ++_generation;
        lock (_lock) _unacked.Clear(); // their channel is gone, so the broker has requeued them
        IChannel? channel = null;
        try
        {
            channel = await connector.CreateChannelAsync(null, cancellationToken);
            await source.DeclareAsync(channel, cancellationToken);
            var consumer = new RabbitMqConsumer(channel, queue, generation, options.MaxUnackedBytesPerQueue, source.PrefetchCount,
                _consumer?.TypicalMessageBytes ?? 0, _arrived, logger);
            await consumer.StartAsync(cancellationToken);
            _consumer = consumer;
            _channel = channel;
            _reopenDelay = options.ReconnectDelay;
            LogConsuming(queue);
            return true;
        }
        catch (Exception exception)
        {
            // A consume cancelled while waiting for its confirmation is still registered on the broker. Left open, the
            // half-opened channel would stay the queue's single active consumer, holding its prefetched messages unacked
            // and keeping every later consumer (this silo's next attempt, the queue's next owner) waiting for good.
            if (channel is not null) await AbortQuietlyAsync(channel);
            if (_shutDown) throw;
            _reopenAfterUtc = DateTime.UtcNow + _reopenDelay;
            LogOpenFailed(exception, queue, _reopenDelay);
            _reopenDelay = TimeSpan.FromTicks(Math.Min(_reopenDelay.Ticks * 2, MaxReopenDelay.Ticks));
            return false;
        }
    }

    private static async Task AbortQuietlyAsync(IChannel channel)
    {
        try
        {
            // Disposing an open channel aborts it: the broker drops its consumer and requeues what it delivered.
            await channel.DisposeAsync();
        }
        catch (Exception)
        {
            // The connection is gone already, and the channel with it.
        }
    }

    private async Task AckAsync(RabbitMqReceipt receipt, CancellationToken cancellationToken)
    {
        if (!IsCurrent(receipt, out var channel)) return; // its channel closed: it is back in the queue already
        _consumer?.Settled(receipt);
        try
        {
            await channel.BasicAckAsync(receipt.Tag, multiple: false, cancellationToken);
        }
        catch (Exception exception)
        {
            // The broker will redeliver it; the sink deduplicates by event id.
            LogAckFailed(exception, queue, receipt.Tag);
        }
    }

    private async Task RejectAsync(RabbitMqReceipt receipt, bool requeue)
    {
        if (!IsCurrent(receipt, out var channel)) return;
        _consumer?.Settled(receipt);
        try
        {
            await channel.BasicNackAsync(receipt.Tag, multiple: false, requeue);
        }
        catch (Exception exception)
        {
            LogAckFailed(exception, queue, receipt.Tag);
        }
    }

    private bool IsCurrent(RabbitMqReceipt receipt, out IChannel channel)
    {
        channel = _channel!;
        return receipt.Generation == _generation && channel is { IsOpen: true };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming RabbitMQ queue {Queue}")]
    private partial void LogConsuming(string queue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot consume RabbitMQ queue {Queue}; retrying in {Delay}")]
    private partial void LogOpenFailed(Exception exception, string queue, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not settle delivery {Tag} on queue {Queue}; the broker will redeliver it")]
    private partial void LogAckFailed(Exception exception, string queue, ulong tag);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {Tag} on queue {Queue} could not be delivered to its consumers; returned to the queue")]
    private partial void LogAbandoned(string queue, ulong tag);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {Tag} on queue {Queue} ({Bytes} bytes) cannot be read and is dead-lettered: {Reason}")]
    private partial void LogRefused(string queue, ulong tag, int bytes, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not dead-letter message {Tag} of queue {Queue} with its reason; rejected instead")]
    private partial void LogKeepFailed(Exception exception, string queue, ulong tag);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing the channel of queue {Queue} failed")]
    private partial void LogCloseFailed(Exception exception, string queue);
}
