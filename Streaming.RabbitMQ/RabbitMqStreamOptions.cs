using Orleans;

namespace Events.Streaming.RabbitMQ;

/// <summary>Where the broker is and how the provider uses it. One instance per stream provider name.</summary>
public sealed class RabbitMqStreamOptions
{
    public string HostName { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 5672;
    public string UserName { get; set; } = "guest";
    [Redact]
    public string Password { get; set; } = "guest";
    public string VirtualHost { get; set; } = "/";

    /// <summary>
    /// Queues are named <c>{QueueNamePrefix}-{index}</c>; streams are hashed onto them. Rejected messages go to
    /// the exchange and queue <c>{QueueNamePrefix}.dead-letter</c>.
    /// </summary>
    public string QueueNamePrefix { get; set; } = "events-stream";

    /// <summary>
    /// How many queues the streams are spread over. Each queue is read by one silo at a time, so this caps
    /// how many silos share the consuming work. Changing it remaps streams: drain the queues first.
    /// </summary>
    public int QueueCount { get; set; } = 8;

    /// <summary>
    /// Unacknowledged messages the broker hands one queue's consumer. Should be at least <see cref="CacheSize"/>
    /// so the cache can fill. The receiver asks for fewer when fewer fit <see cref="MaxUnackedBytesPerQueue"/>.
    /// </summary>
    public ushort PrefetchCount { get; set; } = 512;

    /// <summary>
    /// Messages held per queue in the silo's stream cache. A message stays cached until its sink stored it, so the
    /// cache must hold every message arriving during a flush and its insert. Below peak messages are small (~60
    /// events): 128 per queue then capped a silo near 2,000 messages a second, and a steady 66,000 events/s fell
    /// 15-24 s behind; 512 kept up (BENCHMARKS.md, "Small messages at half rate"). Memory is bounded by
    /// <see cref="MaxUnackedBytesPerQueue"/>: at peak a message is ~130 KB and the byte budget binds first.
    /// </summary>
    public int CacheSize { get; set; } = 512;

    /// <summary>
    /// Bytes of messages one queue's receiver holds at most, received and not yet settled (each waits until its sink
    /// stored it). Past it the receiver stops the broker's deliveries until settling frees half; the queue keeps the rest.
    /// Bounds the silo's memory in bytes where <see cref="PrefetchCount"/> and <see cref="CacheSize"/> bound it in
    /// messages: a message may carry thousands of events. Default 16 MiB: with 8 MiB, at a peak of ~100,000 events/s
    /// messages waited up to 2-5 s in the broker while an insert ran; with 16 MiB, and the sinks holding rows gzipped,
    /// a silo stayed under 1 GiB while ClickHouse was down (BENCHMARKS.md, "Rows held gzipped, a larger byte budget").
    /// A message larger than it is read alone.
    /// </summary>
    public long MaxUnackedBytesPerQueue { get; set; } = 16 * 1024 * 1024;

    /// <summary>Channels used for publishing; publishes on one channel share its confirm stream.</summary>
    public int PublisherChannels { get; set; } = 4;

    /// <summary>A publish not confirmed by the broker within this time fails its caller.</summary>
    public TimeSpan PublishConfirmTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time allowed to open a TCP connection to the broker.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After a failed connection attempt, further attempts wait at least this long (doubling up to 10 s).</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the messages ready in each queue this silo consumes are counted (one passive declare each). Default 10 s.</summary>
    public TimeSpan BacklogInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Queues bound to other services' exchanges, read like the provider's own queues but never published to.
    /// Default none.
    /// </summary>
    public List<RabbitMqInputOptions> Inputs { get; set; } = [];

    /// <summary>Every problem with these options, worded for an operator; empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(HostName)) yield return "HostName is required.";
        if (Port is < 1 or > 65535) yield return $"Port {Port} is not a TCP port.";
        if (string.IsNullOrWhiteSpace(UserName)) yield return "UserName is required.";
        if (string.IsNullOrWhiteSpace(QueueNamePrefix)) yield return "QueueNamePrefix is required.";
        if (QueueCount is < 1 or > 1024) yield return $"QueueCount must be between 1 and 1024 (was {QueueCount}).";
        if (PrefetchCount < 1) yield return "PrefetchCount must be at least 1.";
        if (CacheSize < 1) yield return "CacheSize must be at least 1.";
        if (MaxUnackedBytesPerQueue < 1) yield return $"MaxUnackedBytesPerQueue must be at least 1 (was {MaxUnackedBytesPerQueue}).";
        if (PublisherChannels is < 1 or > 64) yield return $"PublisherChannels must be between 1 and 64 (was {PublisherChannels}).";
        if (PublishConfirmTimeout <= TimeSpan.Zero) yield return "PublishConfirmTimeout must be positive.";
        if (ConnectTimeout <= TimeSpan.Zero) yield return "ConnectTimeout must be positive.";
        if (ReconnectDelay <= TimeSpan.Zero) yield return "ReconnectDelay must be positive.";
        if (BacklogInterval < TimeSpan.FromMilliseconds(100)) yield return $"BacklogInterval must be at least 00:00:00.1 (was {BacklogInterval}).";
        for (var i = 0; i < Inputs.Count; i++)
        {
            foreach (var problem in Inputs[i].Problems($"Inputs:{i}")) yield return problem;
            var queue = Inputs[i].Queue;
            if (Inputs.Take(i).Any(other => other.Queue == queue)) yield return $"Inputs:{i}:Queue '{queue}' is read by an earlier input too.";
            if (queue == DeadLetterName || IsOwnQueue(queue)) yield return $"Inputs:{i}:Queue '{queue}' is one of the provider's own queues.";
        }
    }

    private bool IsOwnQueue(string queue) =>
        queue.StartsWith(QueueNamePrefix + "-", StringComparison.Ordinal) && int.TryParse(queue.AsSpan(QueueNamePrefix.Length + 1), out var index)
        && index >= 0 && index < QueueCount;

    internal string QueueName(int index) => $"{QueueNamePrefix}-{index}";

    /// <summary>The dead-letter exchange and queue: <c>{QueueNamePrefix}.dead-letter</c>.</summary>
    public string DeadLetterName => $"{QueueNamePrefix}.dead-letter";
}
