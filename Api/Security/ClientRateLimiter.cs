using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Events.Api.Security;

/// <summary>
/// A token bucket per client (its API key's client id, else its address) over dispatch and the webhooks, at the client's
/// own rate when <c>Events:RateLimit:Clients</c> names it, else the default.
/// </summary>
internal static class ClientRateLimiter
{
    public static void Configure(RateLimiterOptions limiter, RateLimitOptions options)
    {
        limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            if (!options.Enabled || !ProtectedPaths.Applies(context))
            {
                return RateLimitPartition.GetNoLimiter("unlimited");
            }
            var client = context.Items[ProtectedPaths.ClientItem] as string;
            var (requestsPerSecond, burst) = options.For(client);
            // Prefixed so that a client id can never share a bucket with an address.
            var partition = client is not null ? "key:" + client : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = requestsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        limiter.OnRejected = async (rejected, cancellationToken) =>
        {
            var context = rejected.HttpContext;
            var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            var message = $"Rate limit exceeded; retry after {retryAfter} s";
            if (ProtectedPaths.IsGrpc(context))
            {
                await ProtectedPaths.WriteGrpcErrorAsync(context, 8, message); // RESOURCE_EXHAUSTED
            }
            else
            {
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                await context.Response.WriteAsJsonAsync(new { error = message }, cancellationToken);
            }
        };
    }
}
