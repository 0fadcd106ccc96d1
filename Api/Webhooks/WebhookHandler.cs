using Events.Api.Dispatch;
using Events.Api.Security;
using Events.Grains;
using Microsoft.Extensions.Options;

namespace Events.Api.Webhooks;

/// <summary>
/// One webhook request, for any provider: checks it in the order a provider can act on (configured, size, content
/// type, signature, body), then hands the events to the provider's worker grain and answers 200 only once RabbitMQ
/// confirmed them. Every refusal stores nothing.
/// </summary>
internal sealed class WebhookHandler(
    GroupPublisher publisher,
    WebhookOptions options,
    WebhookReplays replays,
    IOptions<LimitsOptions> limits,
    TimeProvider time,
    ILogger<WebhookHandler> logger)
{
    public const string TokenHeader = "X-Webhook-Token";
    public const string TokenQuery = "token";
    public const string ShopifySignatureHeader = "X-Shopify-Hmac-Sha256";

    public async Task<IResult> HandleAsync(WebhookProvider provider, HttpContext context)
    {
        var request = context.Request;
        if (options.CredentialFor(provider) is not { } credential)
        {
            return Refuse(provider, StatusCodes.Status503ServiceUnavailable, $"{provider.Name} webhooks are not configured on this server");
        }
        if (request.ContentLength > options.MaxBodyBytes)
        {
            return TooLarge(provider);
        }
        if (!request.HasJsonContentType())
        {
            return Refuse(provider, StatusCodes.Status415UnsupportedMediaType, "the content type must be application/json");
        }
        var body = await ReadBodyAsync(request, options.MaxBodyBytes, context.RequestAborted);
        if (body is null)
        {
            return TooLarge(provider);
        }

        // Signatures over headers and the raw body are checked before the body is parsed.
        var auth = options.AuthFor(provider);
        var headerToken = request.Headers[TokenHeader].FirstOrDefault() ?? request.Query[TokenQuery].FirstOrDefault();
        var bodyTokens = auth == WebhookAuth.SharedToken && provider.BodyTokenPath is not null && headerToken is null;
        var now = time.GetUtcNow();
        switch (auth)
        {
            case WebhookAuth.ShopifyHmac when !WebhookSignatures.ShopifyHmacMatches(body, request.Headers[ShopifySignatureHeader].FirstOrDefault(), credential):
            case WebhookAuth.SharedToken when !bodyTokens && !WebhookSignatures.TokenMatches(headerToken, credential):
                return Unauthorized(provider, context);
            case WebhookAuth.TimestampedHmac:
                if (!TimestampedSignatures.TryVerify(body, request.Headers[TimestampedSignatures.Header].FirstOrDefault(), credential, out var signedAt, out var signature))
                {
                    return Unauthorized(provider, context);
                }
                if ((Stale(provider, context, now, signedAt) ?? await ClaimAsync(provider, context, signature)) is { } refusal)
                {
                    return refusal;
                }
                IResult? result = null;
                try
                {
                    return result = await ParseAndStoreAsync(provider, context, body, bodyTokens, credential, now);
                }
                finally
                {
                    if (result is not IStatusCodeHttpResult { StatusCode: null or StatusCodes.Status200OK })
                    {
                        // Not stored: the sender's retry carries the same signature and must be accepted.
                        await replays.ReleaseAsync(provider.Name, signature);
                    }
                }
        }
        return await ParseAndStoreAsync(provider, context, body, bodyTokens, credential, now);
    }

    private async Task<IResult> ParseAndStoreAsync(WebhookProvider provider, HttpContext context, byte[] body, bool bodyTokens, string credential, DateTimeOffset now)
    {
        var request = context.Request;
        var parse = WebhookParser.Parse(provider, body, name => request.Headers[name].FirstOrDefault(), now.ToUnixTimeMilliseconds(),
            limits.Value.ClockSkew);
        if (parse.Error is { } error)
        {
            return Refuse(provider, StatusCodes.Status400BadRequest, error);
        }
        if (bodyTokens && (parse.Events.Count == 0 || !parse.Events.All(e => WebhookSignatures.TokenMatches(e.BodyToken, credential))))
        {
            return Unauthorized(provider, context);
        }
        return await StoreAsync(provider, parse.Events.Select(e => e.Event).ToList(), ClientHeader(provider, request), now, context.RequestAborted);
    }

    private async Task<IResult> StoreAsync(WebhookProvider provider, IReadOnlyList<IngestedEvent> events, EventHeader header,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var groups = events
            .GroupBy(e => e.Name, StringComparer.Ordinal)
            .Select(g => new EventGroup
            {
                Source = provider.Name,
                EventName = g.Key,
                Header = header,
                Events = g.ToArray(),
                ReceivedAtUtc = now.UtcDateTime,
            })
            .ToList();
        // The provider's worker grain takes every group: its routes match on the provider as the source.
        switch (await publisher.PublishAsync(provider.Name, groups, worker: provider.Name, cancellationToken))
        {
            case PublishOutcome.Stored:
                WebhookLog.Accepted(logger, provider.Name, events.Count);
                WebhookMetrics.Accepted(provider.Name, groups);
                return Results.Json(new { accepted = events.Count });
            case PublishOutcome.AtCapacity:
                WebhookMetrics.Refused(provider.Name, groups, "resourceexhausted");
                // 429, as gRPC's RESOURCE_EXHAUSTED maps to HTTP.
                return new RetryAfterResult(Error(StatusCodes.Status429TooManyRequests,
                    $"the service is at capacity ({publisher.Limit} events in flight); retry the request"), 1);
            case PublishOutcome.TimedOut:
                WebhookMetrics.Refused(provider.Name, groups, "unavailable");
                return Unavailable($"the events were not stored within {publisher.Timeout.TotalMilliseconds:0} ms; retry the request");
            default:
                WebhookMetrics.Refused(provider.Name, groups, "unavailable");
                return Unavailable("the events could not be stored; retry the request");
        }
    }

    /// <summary>The body, or null as soon as it is longer than <paramref name="limit"/> (a chunked body has no length up front).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(request.ContentLength is { } length ? (int)length : 16 * 1024);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (body.Length + read > limit)
            {
                return null;
            }
            body.Write(chunk, 0, read);
        }
        return body.ToArray();
    }

    private static EventHeader ClientHeader(WebhookProvider provider, HttpRequest request) =>
        provider.ClientIdHeader is { } name && request.Headers[name].FirstOrDefault() is { Length: > 0 } client
            ? new EventHeader { ClientId = client.Length <= WebhookParser.MaxFieldLength ? client : client[..WebhookParser.MaxFieldLength] }
            : EventHeader.Empty;

    private IResult TooLarge(WebhookProvider provider) =>
        Refuse(provider, StatusCodes.Status413PayloadTooLarge, $"the body is larger than {options.MaxBodyBytes} bytes");

    private IResult Unauthorized(WebhookProvider provider, HttpContext context)
    {
        var reason = options.AuthFor(provider) switch
        {
            WebhookAuth.ShopifyHmac => $"the {ShopifySignatureHeader} signature is missing or does not match the body",
            WebhookAuth.TimestampedHmac => $"the {TimestampedSignatures.Header} signature (t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">) is missing or does not match the body",
            _ => $"the webhook token ({TokenHeader} header or ?{TokenQuery}=) is missing or wrong",
        };
        WebhookLog.Unauthenticated(logger, provider.Name, context.Connection.RemoteIpAddress?.ToString(), reason);
        WebhookMetrics.RefusedUnparsed(provider.Name, StatusCodes.Status401Unauthorized);
        return Error(StatusCodes.Status401Unauthorized, reason);
    }

    /// <summary>401 when the signed time is further from the server's than the tolerance, either way.</summary>
    private IResult? Stale(WebhookProvider provider, HttpContext context, DateTimeOffset now, long signedAt)
    {
        var skew = Math.Abs(now.ToUnixTimeSeconds() - signedAt);
        if (skew <= options.SignatureTolerance.TotalSeconds)
        {
            return null;
        }
        var reason = $"the {TimestampedSignatures.Header} time is {skew} s from the server's time, more than the "
            + $"{options.SignatureTolerance.TotalSeconds:0} s allowed; sign each request when it is sent";
        WebhookLog.Unauthenticated(logger, provider.Name, context.Connection.RemoteIpAddress?.ToString(), reason);
        return Error(StatusCodes.Status401Unauthorized, reason);
    }

    /// <summary>
    /// Null for a signature seen for the first time; 409 for one seen within the window (a replay); 503 when the replay
    /// store cannot answer: refusing is safe, the sender retries, while accepting could let a replay in.
    /// </summary>
    private async Task<IResult?> ClaimAsync(WebhookProvider provider, HttpContext context, string signature)
    {
        // A signature can be accepted from tolerance before to tolerance after its time: remembered that long.
        switch (await replays.ClaimAsync(provider.Name, signature, 2 * options.SignatureTolerance))
        {
            case ReplayClaim.First:
                return null;
            case ReplayClaim.Replayed:
                const string replayed = "this signed request was already received; each signature is accepted once";
                WebhookLog.Unauthenticated(logger, provider.Name, context.Connection.RemoteIpAddress?.ToString(), replayed);
                return Error(StatusCodes.Status409Conflict, replayed);
            default:
                return new RetryAfterResult(Error(StatusCodes.Status503ServiceUnavailable, "the replay check is unavailable; retry the request"), 1);
        }
    }

    private IResult Refuse(WebhookProvider provider, int status, string reason)
    {
        WebhookLog.Refused(logger, provider.Name, status, reason);
        WebhookMetrics.RefusedUnparsed(provider.Name, status);
        return Error(status, reason);
    }

    private IResult Unavailable(string reason) => new RetryAfterResult(
        Error(StatusCodes.Status503ServiceUnavailable, reason), Math.Max(1, (int)Math.Ceiling(publisher.Timeout.TotalSeconds)));

    private static IResult Error(int status, string reason) => Results.Json(new { error = reason }, statusCode: status);

    /// <summary>A result with a <c>Retry-After</c> header, in seconds.</summary>
    private sealed class RetryAfterResult(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}
