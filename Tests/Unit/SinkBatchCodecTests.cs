using Events.Grains;
using Events.Grains.Publishing;
using Events.Tests.Infrastructure;

namespace Events.Tests.Unit;

public sealed class SinkBatchCodecTests
{
    private static readonly SinkBatchCodec Codec = TestCodec.Create();

    private static EventGroup Group(string name, int events, DateTime receivedAt) => new()
    {
        Source = "grpc", EventName = name, Header = new EventHeader { DeviceId = "d-" + name }, ReceivedAtUtc = receivedAt,
        Events = Enumerable.Range(0, events)
            .Select(i => new IngestedEvent { Id = $"{name}-{i}", Name = name, TimestampMs = i, ParamsJson = "{\"é\":\"ü\"}", Flag = i == 0 ? "old" : null })
            .ToList(),
    };

    [Fact]
    public void Encode_KeepsTheGroupsAsBytes_WithTheirCountAndOldestReceipt()
    {
        var older = new DateTime(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc);
        var groups = new[] { Group("LaunchEvent", 3, older.AddSeconds(2)), Group("ClickEvent", 2, older) };

        var batch = Codec.Encode("event", groups);

        Assert.Null(batch.Groups);
        Assert.NotNull(batch.EncodedGroups);
        Assert.Equal(5, batch.EventCount);
        Assert.Equal(older, batch.ReceivedAtUtc);
        var decoded = Codec.Decode(batch);
        Assert.Equal(groups.Select(g => (g.EventName, g.Header.DeviceId, g.ReceivedAtUtc)), decoded.Select(g => (g.EventName, g.Header.DeviceId, g.ReceivedAtUtc)));
        Assert.Equal(groups.SelectMany(g => g.Events), decoded.SelectMany(g => g.Events));
    }

    [Fact]
    public void Decode_AMessageCarryingGroupsAsObjects_ReturnsThem()
    {
        // Broker inputs build their messages in the silo, and messages published before the groups were serialized
        // may still wait in the queues.
        var groups = new[] { Group("trace_log", 2, DateTime.UnixEpoch) };
        var batch = new SinkBatch { Table = "trace_log", Groups = groups };

        Assert.Same(groups, Codec.Decode(batch));
        Assert.Equal(2, batch.EventCount);
    }
}
