namespace Events.Grains.Tables;

/// <summary>The tables client events are written to. Adding a table is adding an entry here.</summary>
public static class EventTables
{
    private const string Utc = "DateTime64(3, 'UTC')";

    /// <summary>Every client event, one row per event, header copied in.</summary>
    public static TableSchema Event { get; } = new()
    {
        Name = "event",
        Columns =
        [
            new("event_id", "String", r => r.Event.Id),
            new("event_name", "LowCardinality(String)", r => r.Event.Name),
            new("event_timestamp", Utc, r => DateTime.UnixEpoch.AddMilliseconds(r.Event.TimestampMs)),
            new("insert_timestamp", Utc, r => r.Group.ReceivedAtUtc),
            .. HeaderColumns.All,
            new("event_params", "String", r => r.Event.ParamsJson),
        ],
        // Redelivered copies share (event_name, event_id) and collapse on merge; count exactly with FINAL or uniqExact(event_id).
        Engine = "ReplacingMergeTree(insert_timestamp)",
        PartitionBy = "toYYYYMM(event_timestamp)",
        OrderBy = "event_name, event_id",
    };

    /// <summary>
    /// Rows a table refused for good (a value it rejects), with the event's columns and the reason.
    /// The same events are in the dead-letter queue, from where they can be replayed after a fix.
    /// </summary>
    public static TableSchema ErrorEvent { get; } = new()
    {
        Name = "error_event",
        Columns =
        [
            .. Event.Columns,
            new("target_table", "LowCardinality(String)", r => r.Rejection!.Table),
            new("error_reason", "String", r => r.Rejection!.Reason),
            new("error_attempts", "UInt16", r => (ushort)r.Rejection!.Attempts),
            new("error_timestamp", Utc, r => r.Rejection!.AtUtc),
        ],
        Engine = "ReplacingMergeTree(error_timestamp)",
        PartitionBy = "toYYYYMM(event_timestamp)",
        OrderBy = "target_table, event_name, event_id",
    };

    public static IReadOnlyList<TableSchema> All { get; } = [Event, ErrorEvent];
}
