namespace Events.Silo.Postgres;

/// <summary>Where the PostgreSQL sink tables live (<c>Events:Postgres</c>).</summary>
public sealed class PostgresOptions
{
    public const string Section = "Events:Postgres";

    /// <summary>
    /// An Npgsql connection string. Default <c>Host=127.0.0.1;Port=5432;Username=events;Password=events;Database=events</c>
    /// (the local services). Set the real one through the environment (<c>Events__Postgres__ConnectionString</c>); it is never logged.
    /// </summary>
    public string ConnectionString { get; set; } = "Host=127.0.0.1;Port=5432;Username=events;Password=events;Database=events";

    /// <summary>The schema every PostgreSQL sink table is created in, at start-up if missing. Default <c>events</c>.</summary>
    public string Schema { get; set; } = "events";

    /// <summary>One statement may take this long. Default 20 s (inside Orleans' 30 s call timeout, like ClickHouse's).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
