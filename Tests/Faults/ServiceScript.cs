using System.Diagnostics;
using Events.Tests.Infrastructure;

namespace Events.Tests.Faults;

/// <summary>
/// Stops and starts a local service through scripts/services.sh, the way ./events.sh runs them, so the fault
/// tests honour EVENTS_DATA_DIR and the EVENTS_*_PORT variables of the process that runs them.
/// </summary>
internal static class ServiceScript
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(150);

    public static string DataDirectory =>
        Environment.GetEnvironmentVariable("EVENTS_DATA_DIR") is { Length: > 0 } dir ? dir : Path.Combine(RepoPaths.Root, ".events");

    /// <summary>
    /// Fails unless the script started <paramref name="service"/> itself: it refuses to stop a server it did not
    /// start, and a fault test must not stop a server that others may be using.
    /// </summary>
    public static async Task RequireStartedByScriptAsync(string service)
    {
        var status = (await RunAsync("status", service)).Trim();
        if (!status.Contains("started by this script (pid", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"This fault test stops and starts {service}, but scripts/services.sh (EVENTS_DATA_DIR={DataDirectory}) did not start " +
                $"the {service} it would use: '{status}'. Run the tests with ./events.sh test, or start a set of services of your own, e.g. " +
                "EVENTS_DATA_DIR=/tmp/faults EVENTS_RABBITMQ_PORT=5680 EVENTS_RABBITMQ_MANAGEMENT_PORT=15680 EVENTS_REDIS_PORT=6390 " +
                "EVENTS_POSTGRES_PORT=5440 EVENTS_CLICKHOUSE_HTTP_PORT=8130 scripts/services.sh start, and run the tests with the same variables.");
        }
    }

    /// <summary>The pid of the server the script started for <paramref name="service"/> (its <c>run/services/NAME.state</c>).</summary>
    public static int Pid(string service)
    {
        var state = Path.Combine(DataDirectory, "run", "services", service + ".state");
        var line = File.ReadLines(state).FirstOrDefault(l => l.StartsWith("pid=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{state} names no pid");
        return int.Parse(line["pid=".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static Task StopAsync(string service) => RunAsync("stop", service);

    public static Task StartAsync(string service) => RunAsync("start", service);

    /// <summary>Starts <paramref name="service"/> if it is down, e.g. after a test failed during an outage.</summary>
    public static async Task EnsureStartedAsync(string service)
    {
        if (!(await RunAsync("status", service)).Contains(" up ", StringComparison.Ordinal))
        {
            await StartAsync(service);
        }
    }

    private static async Task<string> RunAsync(string command, string service)
    {
        var script = Path.Combine(RepoPaths.Root, "scripts", "services.sh");
        var info = new ProcessStartInfo("bash", [script, command, service]) { WorkingDirectory = RepoPaths.Root };
        info.Environment["EVENTS_DATA_DIR"] = DataDirectory;
        var (exitCode, output) = await CommandRun.RunAsync(info, CommandTimeout);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"scripts/services.sh {command} {service} failed (exit {exitCode}):\n{output}");
        }
        return output;
    }
}
