using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Serialization;
using Orleans.Streams;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// Reads one queue for the pulling agent. Messages are acknowledged only when the agent reports them delivered,
/// which happens after every consumer's <c>OnNextAsync</c> for them has completed. Messages the agent gave up on
/// (never reported, while later ones were) are returned to the queue. If the channel drops, its unacknowledged
/// messages go back to the queue by themselves; the receiver opens a new channel and never acks the old tags.
/// What the queue holds and how to read it is the <paramref name="source"/>'s business.
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
    private readonly SortedDictionary<long, RabbitMqDelivery[]> _unacked = new(); // sequence number → the batch's deliveries
    private IChannel? _channel;
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

        if (maxCount < 0) maxCount = MaxDeliveriesPerRead; // no cache: no limit from it
        var taken = new List<RabbitMqDelivery>();
        var limit = (int)Math.Min((long)maxCount * source.MaxMessagesPerBatch, MaxDeliveriesPerRead);
        while (taken.Count < limit && _arrived.TryDequeue(out var delivery))
        {
            if (delivery.Generation != _generation) continue; // from a closed channel: the broker requeued it
            taken.Add(delivery);
        }
        if (taken.Count == 0) return [];

        var read = source.Read(taken, maxCount);
        foreach (var (delivery, reason) in read.Refused)
        {
            await RefuseAsync(delivery, reason, cancellationToken);
        }
        var batch = new List<IBatchContainer>(read.Batches.Count);
        lock (_lock)
        {
            foreach (var (container, deliveries) in read.Batches)
            {
                var sequence = ++_nextSequence;
                container.Token = new EventSequenceTokenV2(sequence);
                _unacked.Add(sequence, deliveries);
                batch.Add(container);
            }
        }
        return batch;
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);

    public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0) return;
        var delivered = new List<RabbitMqDelivery>(messages.Count);
        var abandoned = new List<KeyValuePair<long, RabbitMqDelivery[]>>();
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
        foreach (var delivery in delivered) await AckAsync(delivery, cancellationToken);
        foreach (var delivery in abandoned.SelectMany(pair => pair.Value))
        {
            LogAbandoned(queue, delivery.Tag);
            await RejectAsync(delivery, requeue: true);
        }
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
        LogRefused(queue, delivery.Tag, delivery.Body.Length, reason);
        var kept = false;
        try
        {
            kept = await source.KeepRefusedAsync(delivery, reason, cancellationToken);
        }
        catch (Exception exception)
        {
            LogKeepFailed(exception, queue, delivery.Tag);
        }
        if (kept) await AckAsync(delivery, cancellationToken);
        else await RejectAsync(delivery, requeue: false);
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
            await channel.BasicQosAsync(prefetchSize: 0, source.PrefetchCount, global: false, cancellationToken);
            await source.DeclareAsync(channel, cancellationToken);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, message) =>
            {
                // The body's memory belongs to the client only during this callback: copy it.
                _arrived.Enqueue(new RabbitMqDelivery(generation, message.DeliveryTag, message.Body.ToArray(), message.Redelivered,
                    message.Exchange, message.RoutingKey, message.BasicProperties));
                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);
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

    private async Task AckAsync(RabbitMqDelivery delivery, CancellationToken cancellationToken)
    {
        if (!IsCurrent(delivery, out var channel)) return; // its channel closed: it is back in the queue already
        try
        {
            await channel.BasicAckAsync(delivery.Tag, multiple: false, cancellationToken);
        }
        catch (Exception exception)
        {
            // The broker will redeliver it; the sink deduplicates by event id.
            LogAckFailed(exception, queue, delivery.Tag);
        }
    }

    private async Task RejectAsync(RabbitMqDelivery delivery, bool requeue)
    {
        if (!IsCurrent(delivery, out var channel)) return;
        try
        {
            await channel.BasicNackAsync(delivery.Tag, multiple: false, requeue);
        }
        catch (Exception exception)
        {
            LogAckFailed(exception, queue, delivery.Tag);
        }
    }

    private bool IsCurrent(RabbitMqDelivery delivery, out IChannel channel)
    {
        channel = _channel!;
        return delivery.Generation == _generation && channel is { IsOpen: true };
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
