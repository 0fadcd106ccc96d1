namespace Events.Api.Security;

/// <summary>
/// Per-client rate limits for dispatch and the webhooks (<c>Events:RateLimit</c>): a token bucket per client id
/// (the API key's client, else the remote address). Over the limit → RESOURCE_EXHAUSTED / 429 with Retry-After.
/// A client id may have its own rate (<c>Events:RateLimit:Clients:&lt;clientId&gt;:RequestsPerSecond</c> / <c>Burst</c>);
/// every other client gets the default.
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

    /// <summary>Overrides by API-key client id; a value left out is the default's. Default none.</summary>
    public Dictionary<string, ClientRateLimit> Clients { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The rate of <paramref name="client"/> (an API-key client id, or null for a client known by address).</summary>
    public (int RequestsPerSecond, int Burst) For(string? client) =>
        client is not null && Clients.TryGetValue(client, out var own)
            ? (own.RequestsPerSecond ?? RequestsPerSecond, own.Burst ?? Burst)
            : (RequestsPerSecond, Burst);

    /// <param name="auth">Overrides are keyed by API-key client id, so they need the clients configured there.</param>
    public IEnumerable<string> Problems(AuthOptions auth)
    {
        if (RequestsPerSecond < 1 || Burst < 1)
        {
            yield return $"{Section}:RequestsPerSecond {RequestsPerSecond} and Burst {Burst} must be positive.";
        }
        foreach (var (client, limit) in Clients)
        {
            if (limit.RequestsPerSecond is < 1 || limit.Burst is < 1)
            {
                yield return $"{Section}:Clients:{client}:RequestsPerSecond {limit.RequestsPerSecond} and Burst {limit.Burst} must be positive.";
            }
            if (limit.RequestsPerSecond is null && limit.Burst is null)
            {
                yield return $"{Section}:Clients:{client} sets neither RequestsPerSecond nor Burst.";
            }
        }
        if (Enabled && Clients.Count > 0)
        {
            if (!auth.Enabled)
            {
                yield return $"{Section}:Clients needs {AuthOptions.Section}:Enabled: clients are known by their API key (without keys every client is its address).";
            }
            else
            {
                foreach (var client in Clients.Keys.Where(c => !auth.Keys.ContainsKey(c)))
                {
                    yield return $"{Section}:Clients:{client} names a client with no key in {AuthOptions.Section}:Keys.";
                }
            }
        }
    }
}
