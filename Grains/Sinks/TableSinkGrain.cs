using Events.Grains.Publishing;
using Events.Grains.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace Events.Grains.Sinks;

/// <summary>
/// Batches one table's rows from all of its stream shards and writes them in large inserts.
/// Reentrant so that deliveries from many shards wait on the same generation at once;
/// <see cref="OnNextAsync"/> returns only after the rows are in ClickHouse (or dead-lettered),
/// and only then may the stream provider acknowledge the messages. A batch observer, so that one delivery
/// carries every message a stream has waiting (<c>Events:Sink:MessagesPerDelivery</c>): a backlog then drains
/// in a few large deliveries instead of one message per stream per flush.
/// </summary>
[Reentrant]
[RegexImplicitStreamSubscription(SinkStreams.NamespacePattern)]
internal sealed class TableSinkGrain(
    TableCatalog catalog,
    SinkBatchCodec codec,
    ITableWriter writer,
    IDeadLetterSink deadLetters,
    IOptions<SinkOptions> options,
    IOptions<SinkWatchdogOptions> watchdogOptions,
    ILogger<TableSinkGrain> logger,
    SinkMetrics metrics,
    IHostApplicationLifetime lifetime)
    : Grain, ITableSinkGrain, IAsyncBatchObserver<SinkBatch>, IStreamSubscriptionObserver, IRemindable
{
    private readonly FlushBuffer<WaitingMessage> _buffer =
        new(options.Value.MaxRows, options.Value.FlushInterval, TimeProvider.System);
    private TableSchema _table = null!;
    private TableFlusher _flusher = null!;
    private SinkWatchdog _watchdog = null!;
    private CancellationTokenRegistration _onStopping;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _table = catalog.Get(this.GetPrimaryKeyString());
        _flusher = new TableFlusher(_table, codec, writer, deadLetters, options.Value, logger, metrics);
        // Ticks a few times per interval: a generation is due an interval after the last seal, whenever that was.
        var tick = options.Value.FlushInterval / 5;
        this.RegisterGrainTimer(OnFlushTimerAsync, new GrainTimerCreationOptions(tick, tick) { Interleave = true });
        _watchdog = SinkWatchdog.For(this, _table.Name, watchdogOptions.Value, logger);
        // On SIGTERM, write what waits now rather than at the next tick: deliveries waiting for a tick would hold up
        // the silo's shutdown, and Orleans stops ticking the timers of grains it deactivates.
        var self = this.AsReference<ITableSinkGrain>();
        _onStopping = lifetime.ApplicationStopping.Register(() => self.FlushAsync().Ignore());
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await _onStopping.DisposeAsync();
        // Waiters are stream deliveries: writing now spares them a redelivery.
        await FlushAsync();
    }

    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory) =>
        handleFactory.Create<SinkBatch>().ResumeAsync((IAsyncBatchObserver<SinkBatch>)this);

    public async Task OnNextAsync(IList<SequentialItem<SinkBatch>> items)
    {
        var messages = items.Select(i => i.Item).Where(m => m.EventCount > 0).ToList();
        if (messages.Count == 0)
        {
            return;
        }
        _watchdog.RowsArrived();
        RecordLag("arrived", messages);
        // Read and encoded now, off this grain's turn, so that the rows wait as bytes and the flush only sends them.
        var (waiting, unreadable) = await Task.Run(() => Read(messages));
        // Before the readable ones wait: if this fails, the whole delivery is redelivered and nothing was buffered.
        await DeadLetterAsync(unreadable);
        if (waiting.Count == 0)
        {
            return;
        }
        var written = _buffer.Add(waiting, waiting.Sum(m => m.Message.EventCount));
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            _ = _buffer.Seal(); // shutting down: no waiting for a tick that may never come
        }
        if (_buffer.HasSealed)
        {
            _ = WriteSealedAsync();
        }
        await written;
        RecordLag("stored", waiting.ConvertAll(w => w.Message));
    }

    public Task FlushAsync()
    {
        var written = _buffer.Seal();
        _ = WriteSealedAsync();
        return written;
    }

    public Task OnCompletedAsync() => Task.CompletedTask;

    public Task OnErrorAsync(Exception ex)
    {
        SinkLog.StreamError(logger, _table.Name, ex);
        return Task.CompletedTask;
    }

    /// <summary>The watchdog's reminder (<see cref="SinkWatchdog"/>): brings the sink back after its silo died.</summary>
    public Task ReceiveReminder(string reminderName, TickStatus status) => _watchdog.OnTickAsync(reminderName, FlushAsync);

    /// <summary>
    /// Seals a generation when it is due and starts writing it without waiting: Orleans counts the period from the end
    /// of a tick, so awaiting the insert here would delay the next tick by the insert's time.
    /// </summary>
    private Task OnFlushTimerAsync(CancellationToken cancellationToken)
    {
        if (_buffer.SealIfDue())
        {
            _ = WriteSealedAsync();
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Reads each message's groups and encodes its rows. A message whose groups cannot be read (serialized by an
    /// incompatible silo, or damaged) would fail every redelivery of this stream for days; it is set aside instead.
    /// </summary>
    private (List<WaitingMessage> Waiting, List<UnreadableMessage> Unreadable) Read(List<SinkBatch> messages)
    {
        var waiting = new List<WaitingMessage>(messages.Count);
        var unreadable = new List<UnreadableMessage>();
        foreach (var message in messages)
        {
            IReadOnlyList<EventGroup> groups;
            try
            {
                groups = codec.Decode(message);
            }
            catch (Exception ex)
            {
                unreadable.Add(new UnreadableMessage(_table.Name, $"its groups could not be read ({ex.GetType().Name}: {ex.Message})",
                    message.EventCount, message.EncodedGroups ?? [], message.EncodedFormat));
                continue;
            }
            // Lazy rows: a store that takes rows only as objects returns null without reading them.
            waiting.Add(new WaitingMessage(message, writer.Encode(_table, _table.StreamRows(groups))));
        }
        return (waiting, unreadable);
    }

    private async Task DeadLetterAsync(List<UnreadableMessage> unreadable)
    {
        foreach (var message in unreadable)
        {
            await deadLetters.PublishUnreadableAsync(message, CancellationToken.None);
            SinkLog.Unreadable(logger, _table.Name, message.Events, message.Reason);
            metrics.DeadLettered(_table.Name, message.Events);
        }
    }

    private void RecordLag(string stage, List<SinkBatch> messages)
    {
        var now = DateTime.UtcNow;
        foreach (var message in messages)
        {
            if (message.ReceivedAtUtc != default) metrics.Lag(_table.Name, stage, now - message.ReceivedAtUtc);
        }
    }

    private Task WriteSealedAsync() => _buffer.WriteSealedAsync(_flusher.WriteAsync);
}
