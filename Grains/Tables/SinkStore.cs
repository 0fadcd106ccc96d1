namespace Events.Grains.Tables;

/// <summary>Where a sink table lives; the silo has one writer per store.</summary>
public enum SinkStore
{
    ClickHouse,
    PostgreSql,

    /// <summary>Not a table: rows are forwarded to an external HTTP API.</summary>
    HttpApi,
}
