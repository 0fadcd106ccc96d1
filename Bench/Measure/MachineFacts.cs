using System.Globalization;
using System.Runtime.InteropServices;

namespace Events.Bench.Measure;

/// <summary>The machine the figures were taken on: cores, memory, load, and whole-machine CPU ticks.</summary>
internal static class MachineFacts
{
    /// <summary>1, 5 and 15 minute load averages.</summary>
    public static double[] LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ').Take(3)
                .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (IOException)
        {
            return [];
        }
    }

    public static MachineCpu CpuTicks()
    {
        try
        {
            // "cpu user nice system idle iowait irq softirq steal ...": busy is all but idle and iowait.
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Sum();
            return new MachineCpu(total - fields[3] - fields[4], total);
        }
        catch (IOException)
        {
            return new MachineCpu(0, 0);
        }
    }

    public static Dictionary<string, object?> Describe() => new(StringComparer.Ordinal)
    {
        ["cores"] = Environment.ProcessorCount,
        ["memory_total_mb"] = MemoryTotalMb(),
        ["os"] = RuntimeInformation.OSDescription,
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
        ["cpu_model"] = CpuModel(),
        ["hostname"] = Environment.MachineName,
    };

    private static long? MemoryTotalMb()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
