using Events.Streaming.RabbitMQ;
using Orleans.Runtime;
using Orleans.Streams;

namespace Events.Tests.BrokerInputs;

public sealed class RabbitMqQueueMapperTests
{
    private static readonly RabbitMqStreamOptions Options = new()
    {
        QueueCount = 8,
        Inputs = [.. Enumerable.Range(0, 13).Select(i => new RabbitMqInputOptions { Queue = $"input_{i}_q" })],
    };

    [Fact]
    public void InputQueues_AreListedWithTheStreamQueues_AndEachFallsInExactlyOneSilosRange()
    {
        var mapper = new RabbitMqQueueMapper(Options, "events");
        var all = mapper.GetAllQueues().ToList();
        Assert.Equal(8 + 13, all.Distinct().Count());
        Assert.Equal(13, all.Count(queue => mapper.TryGetInput(queue, out _)));

        // Three silos split the ring; together they own every queue once.
        var third = uint.MaxValue / 3;
        var ranges = new[] { RangeFactory.CreateRange(0, third), RangeFactory.CreateRange(third, 2 * third), RangeFactory.CreateRange(2 * third, 0) };
        var owned = ranges.SelectMany(range => mapper.GetQueuesForRange(range)).ToList();
        Assert.Equal(all.Order(), owned.Order());
    }

    [Fact]
    public void Streams_AreNeverMappedToAnInputQueue()
    {
        var mapper = new RabbitMqQueueMapper(Options, "events");
        for (var i = 0; i < 2000; i++)
        {
            var queue = mapper.GetQueueForStream(StreamId.Create($"sink.{i % 32}", $"table-{i}"));
            Assert.False(mapper.TryGetInput(queue, out _), $"stream {i} mapped to input queue {queue}");
        }
    }

    [Fact]
    public void AnInputsRingPosition_IsTheSameInEveryProcess()
    {
        var first = new RabbitMqQueueMapper(Options, "events").GetAllQueues().Select(q => q.GetUniformHashCode()).ToList();
        var second = new RabbitMqQueueMapper(Options, "events").GetAllQueues().Select(q => q.GetUniformHashCode()).ToList();
        Assert.Equal(first, second);
        Assert.Equal(13040564u, new RabbitMqQueueMapper(new RabbitMqStreamOptions { Inputs = [new() { Queue = "trace_log" }] }, "events")
            .GetAllQueues().Single(q => q.GetNumericId() == 0 && q.GetStringNamePrefix() == "events.input").GetUniformHashCode());
    }
}
