namespace Events.Api.Operations;

/// <summary>
/// <c>GET /heartbeat</c> tells a load balancer whether to send traffic; <c>PUT /heartbeat?beat=false|true</c> takes the
/// instance out of rotation and back, as the original service did.
/// </summary>
internal static class HeartbeatEndpoints
{
    public static void MapHeartbeat(this IEndpointRouteBuilder app)
    {
        app.MapGet("/heartbeat", (DrainSwitch drain) => Answer(drain));
        app.MapPut("/heartbeat", (string? beat, DrainSwitch drain, ILoggerFactory loggers) =>
        {
            if (!bool.TryParse(beat, out var beating))
            {
                return Results.Text("beat must be true or false, e.g. PUT /heartbeat?beat=false\n", statusCode: StatusCodes.Status400BadRequest);
            }
            drain.Set(!beating);
            OperationsLog.HeartbeatChanged(loggers.CreateLogger(typeof(HeartbeatEndpoints)), beating);
            return Answer(drain);
        });
    }

    // 503 while drained: balancers that only look at the status code take the instance out too.
    private static IResult Answer(DrainSwitch drain) => drain.Drained
        ? Results.Json(new { beat = false }, statusCode: StatusCodes.Status503ServiceUnavailable)
        : Results.Json(new { beat = true });
}
