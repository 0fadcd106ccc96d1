namespace Events.Grains.Tables;

/// <summary>
/// Tables in PostgreSQL, for the records other services read transactionally. For these tables a column's type is a
/// PostgreSQL type, <see cref="TableSchema.OrderBy"/> is the primary key and <see cref="TableSchema.Engine"/> the table
/// access method. The primary key is the row id, so a redelivered row is not inserted a second time.
/// </summary>
public static class PostgresTables
{
    /// <summary>PostgreSQL's ordinary table storage.</summary>
    private const string Heap = "heap";

    /// <summary>A launch a referrer brought: who referred whom (the header's user and device), with which code and campaign.</summary>
    public static TableSchema ReferralEvent { get; } = new()
    {
        Name = "referral_event",
        Store = SinkStore.PostgreSql,
        Columns =
        [
            new("event_id", "text", r => r.Event.Id),
            Text("referrer_id", "referrerId"),
            Text("referral_code", "referralCode"),
            Text("campaign", "campaign"),
            Text("source", "source"),
            Text("deep_link", "deepLink"),
            new("referee_user_id", "bigint", r => r.Header.UserId),
            new("referee_device_id", "text", r => r.Header.DeviceId),
            new("bb_device_id", "bigint", r => r.Header.BbDeviceId),
            new("session_id", "text", r => r.Header.SessionId),
            new("event_timestamp", "timestamptz", r => DateTime.UnixEpoch.AddMilliseconds(r.Event.TimestampMs)),
            new("insert_timestamp", "timestamptz", r => r.Group.ReceivedAtUtc),
            new("event_params", "jsonb", r => r.Event.ParamsJson),
        ],
        Engine = Heap,
        OrderBy = "event_id",
        ReadsParams = true,
    };

    /// <summary>
    /// An account the identity service created (its <c>create_user_account</c> message on <c>identity.dx</c>). The row id
    /// is the message's event id, which the broker input should derive from the account, so a re-sent creation stays
    /// one row. Field names are the message's JSON names as we expect them; the whole message is kept in <c>payload</c>.
    /// </summary>
    public static TableSchema UserAccount { get; } = new()
    {
        Name = "user_account",
        Store = SinkStore.PostgreSql,
        Columns =
        [
            new("event_id", "text", r => r.Event.Id),
            ParamColumns.Int64("user_id", "user_id") with { Type = "bigint" },
            Text("name", "name"),
            Text("email", "email"),
            Text("phone", "phone"),
            Text("referral_code", "referral_code"),
            Text("signup_source", "source"),
            new("created_at", "timestamptz", r => DateTime.UnixEpoch.AddMilliseconds(r.Event.TimestampMs)),
            new("insert_timestamp", "timestamptz", r => r.Group.ReceivedAtUtc),
            new("payload", "jsonb", r => r.Event.ParamsJson),
        ],
        Engine = Heap,
        OrderBy = "event_id",
        ReadsParams = true,
    };

    public static IReadOnlyList<TableSchema> All { get; } = [ReferralEvent, UserAccount];

    private static ColumnSpec Text(string column, string path) => ParamColumns.String(column, path) with { Type = "text" };
}
