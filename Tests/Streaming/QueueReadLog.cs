using System.Diagnostics;

namespace Events.Tests.Streaming;

/// <summary>
/// Which silo's pulling agent took, read and let go of which queue, in order, as seen by
/// <see cref="RecordingQueueAdapterFactory"/>. Every read is tagged with the test phase current at the time.
/// </summary>
public sealed class QueueReadLog
{
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Receiver> _receivers = [];
    private readonly List<Read> _reads = [];

    /// <summary>A label the test moves forward ("one silo", "two silos" …); reads are tagged with it.</summary>
    public string Phase { get; set; } = "start";

    /// <summary>One batch an agent took from a queue; <paramref name="Order"/> is global across silos.</summary>
    public sealed record Read(int Order, TimeSpan At, string Phase, string Silo, int Queue, int Receiver, int Messages);

    /// <summary>One receiver: opened when a silo's agent takes a queue, closed when the agent lets it go.</summary>
    public sealed class Receiver(QueueReadLog log, int id, string silo, int queue)
    {
        public int Id => id;
        public string Silo => silo;
        public int Queue => queue;
        public bool Open { get; private set; } = true;
        public long Taken { get; private set; }
        public long Reported { get; private set; }

        /// <summary>Taken but not reported delivered when it closed: the broker gives these to the next owner again.</summary>
        public long UnreportedAtClose { get; private set; }

        public void Took(int count)
        {
            lock (log._lock)
            {
                Taken += count;
                log._reads.Add(new Read(log._reads.Count, log._clock.Elapsed, log.Phase, silo, queue, id, count));
            }
        }

        public void Delivered(int count)
        {
            lock (log._lock) Reported += count;
        }

        public void Closed()
        {
            lock (log._lock)
            {
                Open = false;
                UnreportedAtClose = Taken - Reported;
            }
        }
    }

    public Receiver Opened(string silo, int queue)
    {
        lock (_lock)
        {
            var receiver = new Receiver(this, _receivers.Count, silo, queue);
            _receivers.Add(receiver);
            return receiver;
        }
    }

    public IReadOnlyList<Read> Reads()
    {
        lock (_lock) return _reads.ToList();
    }

    public IReadOnlyList<Receiver> Receivers()
    {
        lock (_lock) return _receivers.ToList();
    }

    /// <summary>For each queue, the silos whose agent holds an open receiver on it now.</summary>
    public IReadOnlyDictionary<int, string[]> Owners(int queueCount)
    {
        lock (_lock)
        {
            return Enumerable.Range(0, queueCount).ToDictionary(queue => queue,
                queue => _receivers.Where(r => r.Open && r.Queue == queue).Select(r => r.Silo).ToArray());
        }
    }

    /// <summary>Messages open receivers gave their agent that the agent has not reported delivered (so not acked) yet.</summary>
    public long Unreported()
    {
        lock (_lock) return _receivers.Where(r => r.Open).Sum(r => r.Taken - r.Reported);
    }

    public TimeSpan SinceLastRead()
    {
        lock (_lock) return _clock.Elapsed - (_reads.Count == 0 ? TimeSpan.Zero : _reads[^1].At);
    }
}
