namespace Events.Silo.ClickHouse;

/// <summary>Where the sinks write (<c>Events:ClickHouse</c>).</summary>
public sealed class ClickHouseOptions
{
    public const string Section = "Events:ClickHouse";

    /// <summary>Default <c>127.0.0.1</c>.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>The HTTP interface's port. Default 8123.</summary>
    public int Port { get; set; } = 8123;

    /// <summary>Created at start-up with every table if missing. Default <c>events</c>.</summary>
    public string Database { get; set; } = "events";

    /// <summary>Default <c>default</c>.</summary>
    public string User { get; set; } = "default";

    /// <summary>Default empty. Set it through the environment (<c>Events__ClickHouse__Password</c>).</summary>
    public string Password { get; set; } = "";

    /// <summary>One insert or DDL statement may take this long. Default 20 s (inside Orleans' 30 s call timeout).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Compress insert bodies. A sink gzips each message's rows when they arrive, so rows waiting for their insert take
    /// a fraction of the memory (BENCHMARKS.md, "Rows held gzipped, a larger byte budget"), and it saves bandwidth to a
    /// remote server. Default true.
    /// </summary>
    public bool Compression { get; set; } = true;

    public string ConnectionString => new global::ClickHouse.Driver.ADO.ClickHouseConnectionStringBuilder
    {
        Host = Host,
        Port = (ushort)Port,
        Username = User,
        Password = Password,
        Protocol = "http",
        Timeout = CommandTimeout,
        Compression = Compression,
    }.ConnectionString;
}
