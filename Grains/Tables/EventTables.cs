namespace Events.Grains.Tables;

/// <summary>The tables client events are written to. Adding a table is adding an entry here.</summary>
public static class EventTables
{
    private const string Utc = "DateTime64(3, 'UTC')";

    /// <summary><c>error_event.error_kind</c> of a row its table refused for good.</summary>
    public const string Refused = "refused";

    /// <summary><c>error_event.error_kind</c> of an event stored with a correction or a flag.</summary>
    public const string Flagged = "flagged";

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
    /// Events that need a second look, with the event's columns and why. <c>refused</c>: a table refused the row for
    /// good (the same events are in the dead-letter queue, from where they can be replayed after a fix).
    /// <c>flagged</c>: the front door stored the event in <c>target_table</c> with a correction or a flag (a clamped
    /// future timestamp, an old one, no known type); attempts 0, the time is when it was received.
    /// <c>error_kind</c> is in the key so that a flag and a later refusal of the same event are two rows, while
    /// redelivered copies of either collapse. It is last so a table of the earlier key could gain it by ALTER.
    /// </summary>
    public static TableSchema ErrorEvent { get; } = new()
    {
        Name = "error_event",
        Columns =
        [
            .. Event.Columns,
            new("target_table", "LowCardinality(String)", r => r.Rejection?.Table ?? string.Join(", ", r.Group.StoredIn ?? [])),
            new("error_kind", "LowCardinality(String)", r => r.Rejection is null ? Flagged : Refused),
            new("error_reason", "String", r => r.Rejection?.Reason ?? r.Event.Flag ?? ""),
            new("error_attempts", "UInt16", r => (ushort)(r.Rejection?.Attempts ?? 0)),
            new("error_timestamp", Utc, r => r.Rejection?.AtUtc ?? r.Group.ReceivedAtUtc),
        ],
        Engine = "ReplacingMergeTree(error_timestamp)",
        PartitionBy = "toYYYYMM(event_timestamp)",
        OrderBy = "target_table, event_name, event_id, error_kind",
    };

    public static IReadOnlyList<TableSchema> All { get; } = [Event, ErrorEvent];
}
