using RabbitMQ.Client;

namespace Events.Streaming.RabbitMQ;

/// <summary>
/// Publishes persistent messages on a few confirm-tracking channels. A publish completes only when the broker has
/// confirmed it (the message is on disk in a durable queue); a nack, a return, a timeout or a lost connection
/// fails the caller, who must not report success: with a <see cref="TimeoutException"/> when no confirm came in time,
/// an <see cref="IOException"/> otherwise (both worth retrying).
/// </summary>
internal sealed class RabbitMqPublisher(RabbitMqStreamOptions options, RabbitMqConnector connector) : IAsyncDisposable
{
    private static readonly CreateChannelOptions ConfirmingChannel =
        new(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);

    private readonly IChannel?[] _channels = new IChannel?[options.PublisherChannels];
    private readonly SemaphoreSlim _openGate = new(1, 1);
    private int _next;
    private bool _queuesDeclared;

    /// <summary>Publishes a stream message to one of the provider's queues.</summary>
    public Task PublishAsync(string queue, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        PublishAsync(exchange: "", routingKey: queue, NewProperties("application/x-orleans-batch"), body, cancellationToken);

    /// <summary>Publishes a message to the dead-letter exchange, with headers saying why it is there.</summary>
    public Task PublishDeadLetterAsync(ReadOnlyMemory<byte> body, string contentType, IDictionary<string, object?> headers,
        CancellationToken cancellationToken)
    {
        var properties = NewProperties(contentType);
        properties.Headers = headers;
        return PublishDeadLetterAsync(body, properties, cancellationToken);
    }

    /// <summary>Publishes a message to the dead-letter exchange with the given properties (an input's original ones, say).</summary>
    public Task PublishDeadLetterAsync(ReadOnlyMemory<byte> body, BasicProperties properties, CancellationToken cancellationToken) =>
        PublishAsync(options.DeadLetterName, routingKey: "", properties, body, cancellationToken);

    private static BasicProperties NewProperties(string contentType) => new()
    {
        Persistent = true,
        ContentType = contentType,
        Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
    };

    private async Task PublishAsync(string exchange, string routingKey, BasicProperties properties, ReadOnlyMemory<byte> body,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.PublishConfirmTimeout);
        var slot = (int)((uint)Interlocked.Increment(ref _next) % (uint)_channels.Length);
        try
        {
            var channel = await GetChannelAsync(slot, timeout.Token);
            // mandatory: a message no queue takes comes back as a failed publish instead of vanishing.
            await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, body, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"RabbitMQ did not confirm a message to '{exchange}/{routingKey}' within {options.PublishConfirmTimeout}.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The failure travels to the grain's caller, maybe another process (the Api) that has neither our exception
            // types nor the RabbitMQ client's: Orleans could not deserialize them there and the answer would be lost.
            // A System exception with the reason in its message, and no inner exception, always arrives.
            throw new IOException($"RabbitMQ did not take a message to '{exchange}/{routingKey}': {exception.GetType().Name}: {exception.Message}");
        }
    }

    private async Task<IChannel> GetChannelAsync(int slot, CancellationToken cancellationToken)
    {
        if (_channels[slot] is { IsOpen: true } open) return open;
        await _openGate.WaitAsync(cancellationToken);
        try
        {
            if (_channels[slot] is { IsOpen: true } opened) return opened;
            _channels[slot]?.Dispose();
            _channels[slot] = null;
            var channel = await connector.CreateChannelAsync(ConfirmingChannel, cancellationToken);
            if (!_queuesDeclared)
            {
                for (var i = 0; i < options.QueueCount; i++)
                {
                    await RabbitMqTopology.DeclareQueueAsync(channel, options, options.QueueName(i), cancellationToken);
                }
                _queuesDeclared = true;
            }
            _channels[slot] = channel;
            return channel;
        }
        finally
        {
            _openGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in _channels)
        {
            if (channel is null) continue;
            try
            {
                await channel.CloseAsync();
            }
            catch (Exception)
            {
                // The connection may already be gone; disposing is all that is left.
            }
            channel.Dispose();
        }
    }
}
