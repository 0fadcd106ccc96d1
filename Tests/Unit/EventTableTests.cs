using Events.Grains;
using Events.Grains.Tables;

namespace Events.Tests.Unit;

public sealed class EventTableTests
{
    private static readonly EventHeader Header = new()
    {
        SessionId = "s", BbDeviceId = 6, UserId = 7, DeviceId = "d", Os = "ios", CurrentUrl = "app://header", PpId = "pp",
    };

    private static EventGroup[] BatchOf(params IngestedEvent[] events) =>
    [
        new EventGroup
        {
            Source = "grpc", EventName = "LaunchEvent", Header = Header, Events = events,
            ReceivedAtUtc = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
        },
    ];

    [Fact]
    public void EventTable_HasTheOriginalColumns()
    {
        string[] original =
        [
            "event_id", "event_name", "event_timestamp", "insert_timestamp", "session_id", "bb_device_id", "user_id",
            "device_id", "android_advertising_id", "client_id", "channel", "os", "client_type", "app_language", "app_version",
            "app_version_code", "current_url", "merchant_id", "utm_referrer", "utm_platform", "utm_source", "utm_medium",
            "utm_campaign", "pp_id", "event_params",
        ];
        Assert.Equal(original, EventTables.Event.ColumnNames);
    }

    [Fact]
    public void StreamRows_RefillsOneArray_WithTheValuesMapRowsGives()
    {
        var groups = BatchOf(
            new IngestedEvent { Id = "e1", Name = "LaunchEvent", TimestampMs = 1_700_000_000_123, ParamsJson = "{\"a\":1}" },
            new IngestedEvent { Id = "e2", Name = "LaunchEvent", TimestampMs = 0, CurrentUrl = "app://own" });
        var expected = EventTables.Event.MapRows(groups).Select(r => r.Values).ToList();

        object[]? first = null;
        var streamed = new List<object[]>();
        foreach (var row in EventTables.Event.StreamRows(groups))
        {
            first ??= row;
            Assert.Same(first, row);
            streamed.Add([.. row]); // a copy: the next row overwrites this array
        }

        Assert.Equal(expected, streamed);
    }

    [Fact]
    public void MapRows_CopiesHeaderIntoEveryRow_AndConvertsTheTimestamp()
    {
        var rows = EventTables.Event.MapRows(BatchOf(
            new IngestedEvent { Id = "e1", Name = "LaunchEvent", TimestampMs = 1_700_000_000_123, ParamsJson = "{\"a\":1}" },
            new IngestedEvent { Id = "e2", Name = "LaunchEvent", TimestampMs = 0, CurrentUrl = "app://own" }));

        var names = EventTables.Event.ColumnNames.ToList();
        object Cell(int row, string column) => rows[row].Values[names.IndexOf(column)];
        Assert.Equal(2, rows.Count);
        Assert.Equal("e1", Cell(0, "event_id"));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123).UtcDateTime, Cell(0, "event_timestamp"));
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), Cell(0, "insert_timestamp"));
        Assert.Equal(6L, Cell(1, "bb_device_id"));
        Assert.Equal("ios", Cell(1, "os"));
        Assert.Equal("{\"a\":1}", Cell(0, "event_params"));
        Assert.Equal("app://header", Cell(0, "current_url"));
        Assert.Equal("app://own", Cell(1, "current_url"));
    }

    [Fact]
    public void CreateTableSql_DeduplicatesOnTheEventId()
    {
        var sql = EventTables.Event.CreateTableSql("db1");

        Assert.StartsWith("CREATE TABLE IF NOT EXISTS `db1`.`event`", sql);
        Assert.Contains("ENGINE = ReplacingMergeTree", sql);
        Assert.Contains("ORDER BY (event_name, event_id)", sql);
        Assert.Contains("`event_params` String", sql);
        Assert.EndsWith("SETTINGS merge_selector_base = 10", sql);
    }

    [Theory]
    [InlineData("ENGINE = MergeTree ORDER BY id", "merge_selector_base = 10")]
    [InlineData("ENGINE = MergeTree ORDER BY id SETTINGS index_granularity = 8192", "merge_selector_base = 10")]
    [InlineData("ENGINE = MergeTree ORDER BY id SETTINGS index_granularity = 8192, merge_selector_base = 7", null)]
    [InlineData("ENGINE = MergeTree ORDER BY id SETTINGS merge_selector_base = 10", null)]
    public void AlterSettingsSql_GivesOnlyTheSettingsTheTableLacks(string createTableQuery, string? altered)
    {
        var sql = EventTables.Event.AlterSettingsSql("db1", createTableQuery);

        Assert.Equal(altered is null ? null : $"ALTER TABLE `db1`.`event` MODIFY SETTING {altered}", sql);
    }

    [Fact]
    public void Catalog_UnknownTable_SaysWhichName()
    {
        var catalog = new TableCatalog(EventTables.All);
        var ex = Assert.Throws<KeyNotFoundException>(() => catalog.Get("nope"));
        Assert.Contains("'nope'", ex.Message);
    }
}
