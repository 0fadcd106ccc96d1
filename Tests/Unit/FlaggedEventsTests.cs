using Events.Grains;
using Events.Grains.Tables;
using Events.Grains.Workers;

namespace Events.Tests.Unit;

/// <summary>How a flagged event becomes an error_event row beside its own tables, and how that row is keyed.</summary>
public sealed class FlaggedEventsTests
{
    private static readonly DateTime Received = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private static EventGroup Group(params IngestedEvent[] events) => new()
    {
        Source = "grpc", EventName = "ClickEvent", Header = new EventHeader { DeviceId = "d1" }, Events = events,
        ReceivedAtUtc = Received,
    };

    private static IngestedEvent Event(string id, string? flag = null) =>
        new() { Id = id, Name = "ClickEvent", TimestampMs = 1_700_000_000_000, Flag = flag };

    [Fact]
    public void ErrorGroup_OnlyTheFlaggedEvents_WithTheTablesTheyAreStoredIn()
    {
        var group = Group(Event("ok"), Event("future", "timestamp ... ahead"), Event("ok2"), Event("old", "timestamp ... older"));

        var errors = FlaggedEvents.ErrorGroup(group, ["event", "click_event"]);

        Assert.NotNull(errors);
        Assert.Equal(["future", "old"], errors.Events.Select(e => e.Id));
        Assert.Equal(["event", "click_event"], errors.StoredIn);
        Assert.Equal(group.Header, errors.Header);
        Assert.Equal(Received, errors.ReceivedAtUtc);
        Assert.Null(group.StoredIn);
    }

    [Fact]
    public void ErrorGroup_NothingFlagged_IsNull()
    {
        Assert.Null(FlaggedEvents.ErrorGroup(Group(Event("a"), Event("b")), ["event"]));
    }

    [Fact]
    public void ErrorEventRow_OfAFlaggedEvent_SaysWhyWithNoAttempts()
    {
        var errors = FlaggedEvents.ErrorGroup(Group(Event("old", "timestamp 2020-01-01T00:00:00.000Z is older than 30 days; stored as sent")),
            ["event", "click_event"])!;

        var row = Assert.Single(EventTables.ErrorEvent.MapRows([errors]));

        var columns = EventTables.ErrorEvent.ColumnNames.ToList();
        object Cell(string column) => row.Values[columns.IndexOf(column)];
        Assert.Equal("old", Cell("event_id"));
        Assert.Equal("d1", Cell("device_id"));
        Assert.Equal("event, click_event", Cell("target_table"));
        Assert.Equal(EventTables.Flagged, Cell("error_kind"));
        Assert.Equal("timestamp 2020-01-01T00:00:00.000Z is older than 30 days; stored as sent", Cell("error_reason"));
        Assert.Equal((ushort)0, Cell("error_attempts"));
        Assert.Equal(Received, Cell("error_timestamp")); // the same in a redelivered copy, which collapses with it
    }

    [Fact]
    public void ErrorEventRow_OfARefusedRow_IsRefusedKind_EvenIfTheEventWasFlagged()
    {
        var source = new RowContext(Group(), Event("old", "timestamp ... older")) with
        {
            Rejection = new Rejection("event", "code 469", 3, Received.AddMinutes(1)),
        };

        var row = EventTables.ErrorEvent.MapRow(source);

        var columns = EventTables.ErrorEvent.ColumnNames.ToList();
        Assert.Equal("event", row[columns.IndexOf("target_table")]);
        Assert.Equal(EventTables.Refused, row[columns.IndexOf("error_kind")]);
        Assert.Equal("code 469", row[columns.IndexOf("error_reason")]);
        Assert.Equal((ushort)3, row[columns.IndexOf("error_attempts")]);
    }

    [Fact]
    public void ErrorEventKey_SeparatesAFlagFromARefusalOfTheSameEvent()
    {
        var sql = EventTables.ErrorEvent.CreateTableSql("db");

        Assert.Contains("ENGINE = ReplacingMergeTree(error_timestamp)", sql);
        Assert.Contains("ORDER BY (target_table, event_name, event_id, error_kind)", sql);
    }
}
