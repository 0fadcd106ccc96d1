namespace Events.Grains.Sinks;

/// <summary>The sink grains' watchdog reminder (<c>Events:Sink:WatchdogPeriod</c>, beside the other sink keys).</summary>
public sealed class SinkWatchdogOptions
{
    public const string Section = "Events:Sink";

    /// <summary>Orleans' default minimum reminder period: shorter periods are for tests.</summary>
    public static readonly TimeSpan OrleansMinimumPeriod = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often a sink that received rows is woken by its reminder: after its silo died, this long at most
    /// (once the cluster declared the silo dead) until the sink is active again on a survivor. Default 1 minute.
    /// Below one minute the silo lowers Orleans' minimum reminder period to match (tests only).
    /// </summary>
    public TimeSpan WatchdogPeriod { get; set; } = OrleansMinimumPeriod;

    public IEnumerable<string> Problems()
    {
        if (WatchdogPeriod < TimeSpan.FromSeconds(1) || WatchdogPeriod > TimeSpan.FromHours(1))
        {
            yield return $"Events:Sink:WatchdogPeriod {WatchdogPeriod} must be between 1 second and 1 hour (default 1 minute).";
        }
    }
}
