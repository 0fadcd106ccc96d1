using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Events.Api.Operations;

/// <summary>Unhealthy while the instance is drained (<c>PUT /heartbeat?beat=false</c> or shutting down).</summary>
internal sealed class DrainHealthCheck(DrainSwitch drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.Drained ? HealthCheckResult.Unhealthy("drained") : HealthCheckResult.Healthy("accepting"));
}
