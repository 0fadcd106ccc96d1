namespace Events.Bench.Measure;

/// <summary>ClickHouse answered an error; the message keeps the start of the statement and ClickHouse's reason.</summary>
internal sealed class ClickHouseHttpException(string sql, string reason)
    : Exception($"ClickHouse refused '{(sql.Length > 120 ? sql[..120] + "..." : sql)}': {reason.Trim()}");
