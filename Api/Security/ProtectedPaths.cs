using Events.Api.Webhooks;

namespace Events.Api.Security;

/// <summary>The requests API keys and rate limits apply to: gRPC dispatch and the webhooks; never health or metrics.</summary>
internal static class ProtectedPaths
{
    public const string ClientItem = "events.client";

    public static bool IsGrpc(HttpContext context) =>
        context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    public static bool Applies(HttpContext context) =>
        context.Request.Path.Equals(DispatchPath) || WebhookProviders.All.Any(p => context.Request.Path.Equals(p.Route, StringComparison.OrdinalIgnoreCase));

    /// <summary>A gRPC error as a trailers-only answer, for refusals made before the gRPC service runs.</summary>
    public static Task WriteGrpcErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        return Task.CompletedTask;
    }

    private static readonly PathString DispatchPath = "/" + DispatchMethod.Method.FullName.TrimStart('/');
}
