using StackExchange.Redis;

namespace Events.Api.Webhooks;

/// <summary>
/// The signatures of timestamped webhook requests seen within the tolerance window, in Redis (<c>SET NX</c> with an
/// expiry), so that every Api instance refuses a replay. Connected on first use: an Api without signing providers never
/// connects. When Redis cannot answer, the claim is <see cref="ReplayClaim.Unavailable"/>: the request is refused with 503
/// rather than let a possible replay through; the provider retries.
/// </summary>
internal sealed class WebhookReplays : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    private readonly Lazy<Task<ConnectionMultiplexer>> _redis;
    private readonly string _prefix;
    private readonly ILogger<WebhookReplays> _logger;

    public WebhookReplays(string redisConnectionString, string serviceId, ILogger<WebhookReplays> logger)
    {
        _prefix = $"events:{serviceId}:webhook-signature:";
        _logger = logger;
        _redis = new(() => ConnectAsync(redisConnectionString));
    }

    /// <summary>Claims <paramref name="signature"/> of <paramref name="provider"/> for <paramref name="window"/>.</summary>
    public async Task<ReplayClaim> ClaimAsync(string provider, string signature, TimeSpan window)
    {
        try
        {
            var redis = await _redis.Value;
            return await redis.GetDatabase().StringSetAsync(Key(provider, signature), 1, window, When.NotExists) ? ReplayClaim.First : ReplayClaim.Replayed;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            WebhookLog.ReplayStoreUnavailable(_logger, provider, ex.GetType().Name, ex.Message);
            return ReplayClaim.Unavailable;
        }
    }

    /// <summary>
    /// Forgets a claim whose request was not accepted (its events not stored), so the provider's retry with the same
    /// signature is accepted. Best effort: if Redis fails now, the retry is refused as a replay until the window ends.
    /// </summary>
    public async Task ReleaseAsync(string provider, string signature)
    {
        try
        {
            var redis = await _redis.Value;
            await redis.GetDatabase().KeyDeleteAsync(Key(provider, signature));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            WebhookLog.ReplayStoreUnavailable(_logger, provider, ex.GetType().Name, ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis.IsValueCreated)
        {
            await (await _redis.Value).DisposeAsync();
        }
    }

    private string Key(string provider, string signature) => _prefix + provider + ":" + signature;

    private static async Task<ConnectionMultiplexer> ConnectAsync(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        // Keep reconnecting in the background; meanwhile every command fails at once instead of queueing.
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ConnectTimeout = options.AsyncTimeout = options.SyncTimeout = (int)Timeout.TotalMilliseconds;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }
}
