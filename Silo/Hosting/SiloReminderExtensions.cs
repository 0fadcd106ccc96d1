using Events.Grains.Sinks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Events.Silo.Hosting;

internal static class SiloReminderExtensions
{
    /// <summary>
    /// Reminders (the sinks' watchdog, <see cref="SinkWatchdog"/>) live beside the membership: in Redis, so they
    /// outlive every silo, or in memory for a single localhost node. A watchdog period below Orleans' one-minute
    /// minimum (tests) lowers that minimum to match.
    /// </summary>
    public static ISiloBuilder UseSinkReminders(this ISiloBuilder silo, SiloClusterOptions cluster)
    {
        if (cluster.Provider == "Redis")
        {
            silo.UseRedisReminderService(options => options.ConfigurationOptions = ConfigurationOptions.Parse(cluster.RedisConnectionString));
        }
        else
        {
            silo.UseInMemoryReminderService();
        }
        silo.Services.AddOptions<ReminderOptions>().Configure<IOptions<SinkWatchdogOptions>>((reminders, watchdog) =>
        {
            if (watchdog.Value.WatchdogPeriod < reminders.MinimumReminderPeriod)
            {
                reminders.MinimumReminderPeriod = watchdog.Value.WatchdogPeriod;
            }
        });
        return silo;
    }
}
