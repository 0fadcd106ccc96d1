using Orleans.Runtime;
using Orleans.Streams;

namespace Events.Tests.Streaming;

/// <summary>
/// Wraps a stream provider's adapter factory so a test sees which silo's pulling agent takes, reads and lets go of
/// which queue (<see cref="QueueReadLog"/>). Everything else goes to the real factory unchanged.
/// </summary>
internal sealed class RecordingQueueAdapterFactory(IQueueAdapterFactory inner, string silo, QueueReadLog log) : IQueueAdapterFactory
{
#pragma warning disable CS0618 // the legacy overload must still have a body
    public Task<IQueueAdapter> CreateAdapter() => CreateAdapter(CancellationToken.None);
#pragma warning restore CS0618

    public async Task<IQueueAdapter> CreateAdapter(CancellationToken cancellationToken) =>
        new Adapter(await inner.CreateAdapter(cancellationToken), silo, log);

    public IQueueAdapterCache GetQueueAdapterCache() => inner.GetQueueAdapterCache();

    public IStreamQueueMapper GetStreamQueueMapper() => inner.GetStreamQueueMapper();

    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) => inner.GetDeliveryFailureHandler(queueId);

    private sealed class Adapter(IQueueAdapter inner, string silo, QueueReadLog log) : IQueueAdapter
    {
        public string Name => inner.Name;
        public bool IsRewindable => inner.IsRewindable;
        public StreamProviderDirection Direction => inner.Direction;

        public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token,
            Dictionary<string, object>? requestContext) =>
            inner.QueueMessageBatchAsync(streamId, events, token, requestContext);

        public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
            new Receiver(inner.CreateReceiver(queueId), log.Opened(silo, (int)queueId.GetNumericId()));
    }

    private sealed class Receiver(IQueueAdapterReceiver inner, QueueReadLog.Receiver record) : IQueueAdapterReceiver
    {
        public Task Initialize(TimeSpan timeout) => inner.Initialize(timeout);

#pragma warning disable CS0618 // the legacy overloads must still have bodies
        public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

        public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => MessagesDeliveredAsync(messages, CancellationToken.None);
#pragma warning restore CS0618

        public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
        {
            var messages = await inner.GetQueueMessagesAsync(maxCount, cancellationToken);
            if (messages.Count > 0) record.Took(messages.Count);
            return messages;
        }

        public async Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken)
        {
            await inner.MessagesDeliveredAsync(messages, cancellationToken);
            record.Delivered(messages.Count);
        }

        public async Task Shutdown(TimeSpan timeout)
        {
            record.Closed();
            await inner.Shutdown(timeout);
        }
    }
}
