using Events.Grains;
using Events.Grains.Publishing;
using Events.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

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
        Assert.Equal(EventGroupsFormat.Version, batch.EncodedFormat);
        Assert.Equal(5, batch.EventCount);
        Assert.Equal(older, batch.ReceivedAtUtc);
        var decoded = Codec.Decode(batch);
        Assert.Equal(groups.Select(g => (g.EventName, g.Header.DeviceId, g.ReceivedAtUtc)), decoded.Select(g => (g.EventName, g.Header.DeviceId, g.ReceivedAtUtc)));
        Assert.Equal(groups.SelectMany(g => g.Events), decoded.SelectMany(g => g.Events));
    }

    [Fact]
    public void Decode_GroupsTheOrleansSerializerWrote_AsMessagesDidBeforeTheirFormatWasNamed_ReadsThem()
    {
        // Such messages may still wait in the queues when a silo of this build starts.
        var groups = new[] { Group("LaunchEvent", 3, DateTime.UnixEpoch) };
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer<EventGroup[]>>();
        var batch = new SinkBatch { Table = "event", EncodedGroups = serializer.SerializeToArray(groups), EncodedEventCount = 3 };

        Assert.Equal(0, batch.EncodedFormat);
        Assert.Equal(groups.SelectMany(g => g.Events), Codec.Decode(batch).SelectMany(g => g.Events));
    }

    [Fact]
    public void Decode_GroupsInAFormatThisBuildDoesNotKnow_Fails_SoTheSinkSetsTheMessageAside()
    {
        var batch = Codec.Encode("event", [Group("LaunchEvent", 1, DateTime.UnixEpoch)]) with { EncodedFormat = 9 };

        var error = Assert.Throws<NotSupportedException>(() => Codec.Decode(batch));
        Assert.Contains("format 9", error.Message);
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
