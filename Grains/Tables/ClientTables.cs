namespace Events.Grains.Tables;

/// <summary>
/// ClickHouse tables for one kind of client event each, fed by routing rules (every event also goes to <c>event</c>).
/// A row holds the event's own fields as typed columns, read from its params by their protobuf JSON names, then the
/// batch header and the whole params as JSON. A new table of this kind is one more entry here and a routing rule.
/// </summary>
public static class ClientTables
{
    private const string Utc = "DateTime64(3, 'UTC')";

    /// <summary>ClickEvent: which element of which page was clicked.</summary>
    public static TableSchema ClickEvent { get; } = Table("click_event",
        [
            ParamColumns.String("element_id", "elementId"),
            ParamColumns.LowCardinality("element_type", "elementType"),
            ParamColumns.String("element_text", "elementText"),
            ParamColumns.LowCardinality("page_name", "pageName"),
            ParamColumns.String("target_url", "targetUrl"),
            ParamColumns.Int64("position", "position"),
        ],
        orderBy: "page_name, element_id, event_id");

    /// <summary>AppInitEvent: the device and network an app started on.</summary>
    public static TableSchema AppInitEvent { get; } = Table("app_init_event",
        [
            ParamColumns.LowCardinality("device_model", "deviceModel"),
            ParamColumns.LowCardinality("manufacturer", "manufacturer"),
            ParamColumns.LowCardinality("os_version", "osVersion"),
            ParamColumns.LowCardinality("screen_resolution", "screenResolution"),
            ParamColumns.LowCardinality("network_type", "networkType"),
            ParamColumns.Int64("init_time_ms", "initTimeMs"),
            ParamColumns.Bool("is_rooted", "isRooted"),
        ],
        orderBy: "os, app_version, event_id");

    /// <summary>LaunchReferEvent: an app launch attributed to a referrer (also written to PostgreSQL <c>referral_event</c>).</summary>
    public static TableSchema LaunchReferEvent { get; } = Table("launch_refer_event",
        [
            ParamColumns.String("referrer_id", "referrerId"),
            ParamColumns.String("referral_code", "referralCode"),
            ParamColumns.LowCardinality("campaign", "campaign"),
            ParamColumns.LowCardinality("source", "source"),
            ParamColumns.String("deep_link", "deepLink"),
        ],
        orderBy: "campaign, referrer_id, event_id");

    public static IReadOnlyList<TableSchema> All { get; } = [ClickEvent, AppInitEvent, LaunchReferEvent];

    // Every key ends in event_id and holds only values a redelivered copy repeats (event fields and header, never the
    // clamped timestamp), so copies collapse on merge as in `event`; count exactly with FINAL or uniqExact(event_id).
    private static TableSchema Table(string name, IReadOnlyList<ColumnSpec> fields, string orderBy) => new()
    {
        Name = name,
        Columns =
        [
            new("event_id", "String", r => r.Event.Id),
            new("event_name", "LowCardinality(String)", r => r.Event.Name),
            new("event_timestamp", Utc, r => DateTime.UnixEpoch.AddMilliseconds(r.Event.TimestampMs)),
            new("insert_timestamp", Utc, r => r.Group.ReceivedAtUtc),
            .. fields,
            .. HeaderColumns.All,
            new("event_params", "String", r => r.Event.ParamsJson),
        ],
        Engine = "ReplacingMergeTree(insert_timestamp)",
        PartitionBy = "toYYYYMM(event_timestamp)",
        OrderBy = orderBy,
        ReadsParams = true,
    };
}
