using System.Diagnostics;
using Events.Api.Operations;
using Events.Grains;

namespace Events.Api.Webhooks;

/// <summary>
/// Webhooks in the front door's counters (<c>events_accepted_total</c>, <c>events_refused_total</c>,
/// <c>events_dispatch_duration_seconds</c>) with the provider as the source. A request refused before its body is
/// parsed has no event types yet: it counts once, as type <c>unparsed</c>.
/// </summary>
internal static class WebhookMetrics
{
    public const string Unparsed = "unparsed";

    public static void Accepted(string provider, IEnumerable<EventGroup> groups)
    {
        foreach (var group in groups) DispatchMetrics.CountAccepted(provider, group.EventName, group.Events.Count);
    }

    public static void Refused(string provider, IEnumerable<EventGroup> groups, string reason)
    {
        foreach (var group in groups) DispatchMetrics.CountRefused(provider, group.EventName, reason, group.Events.Count);
    }

    public static void RefusedUnparsed(string provider, int status) => DispatchMetrics.CountRefused(provider, Unparsed, Outcome(status), 1);

    /// <summary>Times the request to its answer, labelled with the answer's outcome.</summary>
    public static void TimeResponse(string provider, HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        context.Response.OnCompleted(() =>
        {
            DispatchMetrics.Observe(provider, Outcome(context.Response.StatusCode), Stopwatch.GetElapsedTime(started));
            return Task.CompletedTask;
        });
    }

    /// <summary>The outcome label of an answer, in the words of the gRPC door where one fits.</summary>
    public static string Outcome(int status) => status switch
    {
        StatusCodes.Status200OK => "success",
        StatusCodes.Status400BadRequest => "invalidargument",
        StatusCodes.Status401Unauthorized => "unauthenticated",
        StatusCodes.Status413PayloadTooLarge => "too_large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        StatusCodes.Status429TooManyRequests => "resourceexhausted",
        StatusCodes.Status503ServiceUnavailable => "unavailable",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
