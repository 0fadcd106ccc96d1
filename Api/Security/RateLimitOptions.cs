namespace Events.Api.Security;

/// <summary>
/// Per-client rate limits for dispatch and the webhooks (<c>Events:RateLimit</c>): a token bucket per client id
/// (the API key's client, else the remote address). Over the limit → RESOURCE_EXHAUSTED / 429 with Retry-After.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Events:RateLimit";

    /// <summary>Default false: no limit, as the original.</summary>
    public bool Enabled { get; set; }

    /// <summary>Requests a client may make per second, sustained. Default 100.</summary>
    public int RequestsPerSecond { get; set; } = 100;

    /// <summary>Requests a client may make at once after being idle. Default 200.</summary>
    public int Burst { get; set; } = 200;

    public IEnumerable<string> Problems()
    {
        if (RequestsPerSecond < 1 || Burst < 1)
        {
            yield return $"{Section}:RequestsPerSecond {RequestsPerSecond} and Burst {Burst} must be positive.";
        }
    }
}
