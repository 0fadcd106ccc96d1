using Events.Grains;
using Events.Grains.Tables;
using Events.Silo.ClickHouse;

namespace Events.Tests.Unit;

/// <summary>Every ClickHouse table's columns have an encoder, and its mapped values are of the types the encoders take.</summary>
public sealed class RowBinaryColumnsTests
{
    public static TheoryData<string> ClickHouseTables() => [.. AllTables.List.Where(t => t.Store == SinkStore.ClickHouse).Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(ClickHouseTables))]
    public void EveryClickHouseTable_EncodesAMappedRow(string name)
    {
        var table = AllTables.List.Single(t => t.Name == name);
        var group = new EventGroup
        {
            Source = "test", EventName = "E", Header = new EventHeader { DeviceId = "d", UserId = 7 }, ReceivedAtUtc = DateTime.UtcNow,
            Events = [new IngestedEvent { Id = "e1", Name = "E", TimestampMs = 1_700_000_000_000, ParamsJson = """{"amount":"12.5","votes":3,"score":0.5,"isRooted":true}""" }],
        };
        var write = RowBinaryColumns.RowWriter(table);
        using var writer = new RowBinaryWriter();

        write(writer, table.MapRow(new RowContext(group, group.Events[0])));

        Assert.False(writer.Written.IsEmpty);
    }
}
