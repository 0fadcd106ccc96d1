using System.Diagnostics;
using Events.Bench.Measure;
using HdrHistogram;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Events.Bench.References;

/// <summary>
/// (b) The raw RabbitMQ publish-with-confirm ceiling: persistent messages of our message size to a scratch durable
/// queue, many unconfirmed at once over four confirm-tracking channels (as the cluster's publisher), with a consumer
/// draining the queue as the cluster's silo does. In events/s at our events per message, it says how far the
/// broker alone could carry the cluster.
/// </summary>
internal static class RabbitMqConfirmReference
{
    public const string Name = "rabbitmq_confirm";
    private const int Channels = 4;

    public static async Task<ReferenceResult> RunAsync(BenchOptions options, string runId, int messageBytes, double? eventsPerMessage)
    {
        var what = $"persistent {messageBytes:N0}-byte messages, durable queue, publisher confirms, {options.RabbitMqInFlight} in flight on {Channels} channels, "
            + (options.RabbitMqConsumer ? "consumer acking" : "no consumer");
        var queue = $"bench-confirm-{runId}";
        try
        {
            var factory = new ConnectionFactory { Uri = options.RabbitMq, ClientProvidedName = "events-bench" };
            await using var connection = await factory.CreateConnectionAsync();
            await using var consumerChannel = await connection.CreateChannelAsync();
            // A safety bound: if the consumer falls behind (or there is none), the oldest messages go instead of filling the disk.
            await consumerChannel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                new Dictionary<string, object?> { ["x-max-length"] = options.RabbitMqConsumer ? 20_000 : 2_000 });
            try
            {
                if (options.RabbitMqConsumer)
                {
                    var consumer = new AsyncEventingBasicConsumer(consumerChannel);
                    consumer.ReceivedAsync += (_, _) => Task.CompletedTask;
                    await consumerChannel.BasicConsumeAsync(queue, autoAck: true, consumer);
                }
                return await PublishAsync(options, connection, queue, messageBytes, eventsPerMessage, what);
            }
            finally
            {
                await consumerChannel.QueueDeleteAsync(queue);
            }
        }
        catch (Exception ex) when (ex is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or IOException)
        {
            return ReferenceResult.Failed(Name, what, ex);
        }
    }

    private static async Task<ReferenceResult> PublishAsync(BenchOptions options, IConnection connection, string queue,
        int messageBytes, double? eventsPerMessage, string what)
    {
        var body = new byte[messageBytes];
        Random.Shared.NextBytes(body);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/octet-stream" };
        var channels = new List<IChannel>();
        for (var i = 0; i < Channels; i++)
        {
            channels.Add(await connection.CreateChannelAsync(new CreateChannelOptions(
                publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)));
        }
        var latency = new LongConcurrentHistogram(1, 600_000_000, 3);
        long confirmed = 0, failures = 0;
        string? lastError = null;
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, options.RabbitMqInFlight).Select(publisher => Task.Run(async () =>
        {
            var channel = channels[publisher % Channels];
            while (Stopwatch.GetElapsedTime(start) < options.ReferenceDuration)
            {
                var before = Stopwatch.GetTimestamp();
                try
                {
                    await channel.BasicPublishAsync("", queue, mandatory: true, properties, body);
                    Interlocked.Increment(ref confirmed);
                    latency.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(before).TotalMicroseconds));
                }
                catch (Exception ex) when (ex is PublishException or AlreadyClosedException or OperationInterruptedException)
                {
                    Interlocked.Increment(ref failures);
                    lastError = ex.Message;
                    if (!channel.IsOpen) return;
                }
            }
        })));
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        foreach (var channel in channels)
        {
            await channel.CloseAsync();
            channel.Dispose();
        }
        var perSecond = confirmed / seconds;
        return new ReferenceResult(Name, what)
        {
            Seconds = Math.Round(seconds, 2),
            Units = confirmed,
            Unit = "messages",
            UnitsPerSec = Math.Round(perSecond, 0),
            EventsPerSec = eventsPerMessage is { } e ? Math.Round(perSecond * e, 0) : null,
            CallLatencyMs = Percentiles.FromMicros(latency),
            Failures = failures,
            Details = new Dictionary<string, object?>
            {
                ["message_bytes"] = messageBytes,
                ["megabytes_per_sec"] = Math.Round(perSecond * messageBytes / 1_000_000, 1),
                ["events_per_message_assumed"] = eventsPerMessage is { } m ? Math.Round(m, 1) : null,
                ["last_error"] = lastError,
            },
        };
    }
}
