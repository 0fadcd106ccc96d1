using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Events.Api.Operations;

/// <summary>Healthy when a TCP connection to a service opens within the check timeout: reachable, not more.</summary>
internal sealed class TcpHealthCheck(ServiceEndpoint endpoint, TimeSpan timeout) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cancel.CancelAfter(timeout);
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, cancel.Token);
            return HealthCheckResult.Healthy($"{endpoint} reachable");
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{endpoint} not reachable");
        }
    }
}
