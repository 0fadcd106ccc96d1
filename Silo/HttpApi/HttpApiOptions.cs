namespace Events.Silo.HttpApi;

/// <summary>
/// Where the HTTP API pseudo-tables forward their rows, and how hard to try (<c>Events:HttpApi</c>).
/// A request that fails for the moment (5xx, 408, 429, timeout, connection refused) is retried
/// <see cref="MaxAttempts"/> times in all; then its rows are refused and dead-lettered like rows a table refuses.
/// </summary>
public sealed class HttpApiOptions
{
    public const string Section = "Events:HttpApi";

    /// <summary>Attempts per request, the first included. Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Wait before the first retry; each further retry waits twice as long (±20 %). Default 500 ms.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>One attempt may take this long. Default 5 s.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// By pseudo-table name (<c>webengage_api</c>). A pseudo-table without a <see cref="HttpApiTarget.Url"/> is off:
    /// its routes are dropped at start-up. Set the key through the environment
    /// (<c>Events__HttpApi__Targets__webengage_api__ApiKey</c>); it is never logged.
    /// </summary>
    public Dictionary<string, HttpApiTarget> Targets { get; set; } = new(StringComparer.Ordinal);

    public bool IsConfigured(string table) => Targets.TryGetValue(table, out var target) && target.Url.Length > 0;
}

/// <summary>One HTTP API: its URL, its key, and how many events one request may carry.</summary>
public sealed class HttpApiTarget
{
    /// <summary>Events are POSTed here as <c>{"events":[...]}</c>. Default empty (off).</summary>
    public string Url { get; set; } = "";

    /// <summary>Sent as <c>Authorization: Bearer {ApiKey}</c>. Required with a Url.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>Default 25, WebEngage's bulk limit.</summary>
    public int MaxEventsPerRequest { get; set; } = 25;
}
