namespace Events.Api.Security;

/// <summary>
/// When API keys are enabled, dispatch and webhook requests need a valid <c>x-api-key</c>: without one, gRPC answers
/// UNAUTHENTICATED and HTTP 401, before any of the body is read. The client id is kept for the rate limiter.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeys keys, ILogger<ApiKeyMiddleware> logger)
{
    public const string Refusal = "A valid x-api-key header is required";
    private const int Unauthenticated = 16;

    public async Task InvokeAsync(HttpContext context)
    {
        if (keys.Enabled && ProtectedPaths.Applies(context))
        {
            if (keys.ClientOf(context.Request.Headers[AuthOptions.Header].FirstOrDefault()) is not { } client)
            {
                // Logs that a key was missing or wrong, never the key itself.
                SecurityLog.Unauthenticated(logger, context.Request.Path, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
                if (ProtectedPaths.IsGrpc(context))
                {
                    await ProtectedPaths.WriteGrpcErrorAsync(context, Unauthenticated, Refusal);
                }
                else
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = "ApiKey header=\"x-api-key\"";
                    await context.Response.WriteAsJsonAsync(new { error = Refusal });
                }
                return;
            }
            context.Items[ProtectedPaths.ClientItem] = client;
        }
        await next(context);
    }
}
