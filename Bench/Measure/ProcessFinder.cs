using System.Globalization;

namespace Events.Bench.Measure;

/// <summary>
/// Finds the processes whose CPU and memory the benchmark reports: the ones named on the command line, else the pid
/// files ./events.sh writes, else by what they listen on (Api, RabbitMQ, ClickHouse) or their configuration (silos).
/// </summary>
internal static class ProcessFinder
{
    public static IReadOnlyDictionary<string, int> Find(BenchOptions options)
    {
        var found = new SortedDictionary<string, int>(StringComparer.Ordinal) { ["bench"] = Environment.ProcessId };
        var pidFiles = ReadPidFiles(options.RunDir);
        var api = options.ApiPid ?? pidFiles.GetValueOrDefault("api") ?? ListeningOn(options.Grpc.Port);
        var silos = options.SiloPids.Count > 0 ? options.SiloPids
            : pidFiles.Where(p => p.Key.StartsWith("silo", StringComparison.Ordinal)).Select(p => p.Value!.Value).ToList() is { Count: > 0 } files ? files
            : SilosOf(options.Database, options.ClickHouse.Port);
        for (var i = 0; i < silos.Count; i++) found[silos.Count == 1 ? "silo" : $"silo-{i + 1}"] = silos[i];
        // An Api hosting the silo (Events:Api:HostSilo) is one process: counted once, as the silo.
        if (api is { } a && !silos.Contains(a)) found["api"] = a;
        if (ListeningOn(options.RabbitMq.Port) is { } rabbit) found["rabbitmq"] = rabbit;
        if (ListeningOn(options.ClickHouse.Port) is { } clickHouse) found["clickhouse"] = clickHouse;
        return found.Where(p => Directory.Exists($"/proc/{p.Value}")).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    private static Dictionary<string, int?> ReadPidFiles(string? runDir)
    {
        var pids = new Dictionary<string, int?>(StringComparer.Ordinal);
        if (runDir is null || !Directory.Exists(runDir)) return pids;
        foreach (var file in Directory.GetFiles(runDir, "*.pid"))
        {
            if (int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Directory.Exists($"/proc/{pid}"))
            {
                pids[Path.GetFileNameWithoutExtension(file)] = pid;
            }
        }
        return pids;
    }

    /// <summary>The process holding a listening TCP socket on <paramref name="port"/> (needs to read /proc/*/fd: root or same user).</summary>
    public static int? ListeningOn(int port)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table)) continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // local_address is HEXIP:HEXPORT; state 0A is LISTEN; field 9 is the inode.
                if (fields.Length > 9 && fields[3] == "0A" && int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                {
                    inodes.Add($"socket:[{fields[9]}]");
                }
            }
        }
        if (inodes.Count == 0) return null;
        foreach (var pid in Pids())
        {
            try
            {
                if (Directory.EnumerateFiles($"/proc/{pid}/fd").Any(fd => new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target)))
                {
                    return pid;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }
        return null;
    }

    /// <summary>Silo processes configured for this database on this ClickHouse port (unset means events and 8123).</summary>
    private static List<int> SilosOf(string database, int clickHousePort)
    {
        var silos = new List<int>();
        foreach (var pid in Pids())
        {
            try
            {
                if (!File.ReadAllText($"/proc/{pid}/cmdline").Contains("Silo.dll", StringComparison.Ordinal)) continue;
                var environment = File.ReadAllText($"/proc/{pid}/environ").Split('\0')
                    .Select(e => e.Split('=', 2)).Where(e => e.Length == 2).ToDictionary(e => e[0], e => e[1], StringComparer.Ordinal);
                if (environment.GetValueOrDefault("Events__ClickHouse__Database", "events") == database &&
                    environment.GetValueOrDefault("Events__ClickHouse__Port", "8123") == clickHousePort.ToString(CultureInfo.InvariantCulture))
                {
                    silos.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
        return silos;
    }

    private static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName)
            .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : -1)
            .Where(pid => pid > 0);
}
