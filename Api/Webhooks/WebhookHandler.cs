using Events.Api.Dispatch;
using Events.Grains;
using Microsoft.Extensions.Options;

namespace Events.Api.Webhooks;

/// <summary>
/// One webhook request, for any provider: checks it in the order a provider can act on (configured, size, content
/// type, signature, body), then hands the events to the provider's worker grain and answers 200 only once RabbitMQ
/// confirmed them. Every refusal stores nothing.
/// </summary>
internal sealed class WebhookHandler(
    IGrainFactory grains,
    WebhookOptions options,
    IOptions<DispatchOptions> dispatch,
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
        var headerToken = request.Headers[TokenHeader].FirstOrDefault() ?? request.Query[TokenQuery].FirstOrDefault();
        var bodyTokens = provider.BodyTokenPath is not null && headerToken is null;
        if (provider.Auth == WebhookAuth.ShopifyHmac
                ? !WebhookSignatures.ShopifyHmacMatches(body, request.Headers[ShopifySignatureHeader].FirstOrDefault(), credential)
                : !bodyTokens && !WebhookSignatures.TokenMatches(headerToken, credential))
        {
            return Unauthorized(provider, context);
        }

        var now = time.GetUtcNow();
        var parse = WebhookParser.Parse(provider, body, name => request.Headers[name].FirstOrDefault(), now.ToUnixTimeMilliseconds());
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
        var timeout = dispatch.Value.PublishTimeout;
        try
        {
            // 200 only once every group is confirmed by RabbitMQ.
            var worker = grains.GetGrain<IEventWorkerGrain>(provider.Name);
            await Task.WhenAll(groups.Select(worker.PublishAsync)).WaitAsync(timeout, cancellationToken);
            WebhookLog.Accepted(logger, provider.Name, events.Count);
            WebhookMetrics.Accepted(provider.Name, groups);
            return Results.Json(new { accepted = events.Count });
        }
        catch (TimeoutException)
        {
            WebhookLog.TimedOut(logger, provider.Name, events.Count, timeout.TotalMilliseconds);
            WebhookMetrics.Refused(provider.Name, groups, "unavailable");
            return Unavailable($"the events were not stored within {timeout.TotalMilliseconds:0} ms; retry the request", timeout);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            WebhookLog.Failed(logger, provider.Name, events.Count, ex);
            WebhookMetrics.Refused(provider.Name, groups, "unavailable");
            return Unavailable("the events could not be stored; retry the request", timeout);
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
        var reason = provider.Auth == WebhookAuth.ShopifyHmac
            ? $"the {ShopifySignatureHeader} signature is missing or does not match the body"
            : $"the webhook token ({TokenHeader} header or ?{TokenQuery}=) is missing or wrong";
        WebhookLog.Unauthenticated(logger, provider.Name, context.Connection.RemoteIpAddress?.ToString(), reason);
        WebhookMetrics.RefusedUnparsed(provider.Name, StatusCodes.Status401Unauthorized);
        return Error(StatusCodes.Status401Unauthorized, reason);
    }

    private IResult Refuse(WebhookProvider provider, int status, string reason)
    {
        WebhookLog.Refused(logger, provider.Name, status, reason);
        WebhookMetrics.RefusedUnparsed(provider.Name, status);
        return Error(status, reason);
    }

    private static IResult Unavailable(string reason, TimeSpan timeout) => new RetryAfterResult(
        Error(StatusCodes.Status503ServiceUnavailable, reason), Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)));

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
