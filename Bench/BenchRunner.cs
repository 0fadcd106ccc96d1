using System.Globalization;
using Events.Bench.Load;
using Events.Bench.Measure;
using Events.Bench.References;
using Events.Bench.Reporting;
using Events.Protos;
using Grpc.Core;
using Grpc.Net.Client;

namespace Events.Bench;

/// <summary>
/// A whole run: the peak phase (closed loop, or open loop at --rate), then open loop at half the peak for latency,
/// then the references one at a time on the same rows, then the table and the results file.
/// </summary>
internal static class BenchRunner
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        await WaitForQuietAsync(options, cancellationToken);
        var runId = "b" + Guid.NewGuid().ToString("N")[..9];
        var kinds = EventKind.Select(options.Types);
        var batches = new BatchFactory(runId, kinds, options.BatchSize, options.Clients);
        var started = DateTime.UtcNow;
        var loadAtStart = MachineFacts.LoadAverage();
        Console.WriteLine($"bench {runId}: {options} against {options.Grpc}, ClickHouse {options.ClickHouse} database '{options.Database}'");
        Console.WriteLine($"  load average {string.Join(" ", loadAtStart.Select(l => l.ToString("0.00", CultureInfo.InvariantCulture)))} on {Environment.ProcessorCount} cores");

        using var clickHouse = new ClickHouseHttp(options.ClickHouse);
        await PreflightAsync(options, clickHouse, batches);
        var processes = ProcessFinder.Find(options);
        Console.WriteLine($"  measuring processes: {string.Join(", ", processes.Select(p => $"{p.Key} {p.Value}"))}");

        await using var context = new BenchContext(options, runId, batches,
            new LoadDriver(options.Grpc, batches, options.Clients, options.MaxInFlight),
            new ClickHouseHttp(options.ClickHouse),
            new RabbitMqQueueStats(options.RabbitMqManagement, options.RabbitMq, options.QueuePrefix),
            new ProcessSampler(processes));
        var phases = new PhaseRunner(context);

        var main = await phases.RunAsync(new PhasePlan(options.Rate is null ? "peak" : "open-loop", options.Warmup, options.Duration,
            options.EventLimit, options.Rate), cancellationToken);
        PhaseResult? half = null;
        if (options.Rate is null && options.HalfRateDuration > TimeSpan.Zero && main.EventsPerSec > 0)
        {
            half = await phases.RunAsync(new PhasePlan("half-rate", options.Warmup, options.HalfRateDuration, null, main.EventsPerSec / 2),
                cancellationToken);
        }

        var references = await RunReferencesAsync(options, clickHouse, batches, runId, main);
        var machine = MachineFacts.Describe();
        machine["load_avg_start"] = loadAtStart;
        machine["load_avg_end"] = MachineFacts.LoadAverage();
        machine["processes"] = processes;
        var report = ReportBuilder.Build(runId, options, started, machine, main, half, references);
        if (options.RemoveRows)
        {
            try
            {
                var removed = await RunRows.RemoveAsync(clickHouse, options.Database, runId, cancellationToken);
                Console.WriteLine($"removed this run's rows (--remove-rows off keeps them): {Describe(removed)}");
                report = report with { RowsRemoved = removed };
            }
            catch (Exception ex) when (ex is ClickHouseHttpException or HttpRequestException or TaskCanceledException)
            {
                // The figures stand without it: the results are still written, and the rows can be deleted by hand.
                Console.WriteLine($"could not remove this run's rows (device_id starting '{BatchFactory.DevicePrefix(runId)}'): {ex.Message}");
            }
        }
        ReportPrinter.Print(report, Console.Out);
        await ResultsFile.WriteAsync(report, options.Output);
        Console.WriteLine($"\nresults: {options.Output}");
        return main.AcceptedEvents > 0 ? 0 : 1;
    }

    private static string Describe(IReadOnlyDictionary<string, long> removed) =>
        removed.Count == 0 ? "none found" : string.Join(", ", removed.Select(t => $"{t.Value:N0} from {t.Key}"));

    private static async Task<Dictionary<string, ReferenceResult>> RunReferencesAsync(BenchOptions options, ClickHouseHttp clickHouse,
        BatchFactory batches, string runId, PhaseResult main)
    {
        var results = new Dictionary<string, ReferenceResult>(StringComparer.Ordinal);
        if (options.References.Contains("bulk"))
        {
            Console.WriteLine($"reference (a): raw ClickHouse bulk insert for {options.ReferenceDuration.TotalSeconds:0} s");
            results[ClickHouseBulkReference.Name] = await ClickHouseBulkReference.RunAsync(options, clickHouse, batches, runId);
        }
        if (options.References.Contains("rabbitmq"))
        {
            var bytes = (int)Math.Clamp(main.RabbitmqMessageBytes ?? EstimateMessageBytes(batches, main), 256, 16_000_000);
            Console.WriteLine($"reference (b): raw RabbitMQ publish with confirms, {bytes:N0}-byte messages, for {options.ReferenceDuration.TotalSeconds:0} s");
            results[RabbitMqConfirmReference.Name] = await RabbitMqConfirmReference.RunAsync(options, runId, bytes, main.EventsPerRabbitmqMessage);
        }
        if (options.References.Contains("async"))
        {
            Console.WriteLine($"reference (c): direct HTTP async inserts for {options.ReferenceDuration.TotalSeconds:0} s");
            results[AsyncInsertReference.Name] = await AsyncInsertReference.RunAsync(options, batches, runId);
        }
        foreach (var failed in results.Values.Where(r => r.Error is not null))
        {
            Console.Error.WriteLine($"warning: reference {failed.Name} failed: {failed.Error}");
        }
        return results;
    }

    /// <summary>When the broker showed no queued message to measure: our events per message × an event's size as JSON.</summary>
    private static double EstimateMessageBytes(BatchFactory batches, PhaseResult main)
    {
        var sample = batches.Create(0);
        var rows = new EventRows(batches.Kinds, ["event_id", "event_name", "event_timestamp", "current_url", "event_params"]);
        var perEvent = rows.JsonEachRow(sample).Length / (double)sample.Count + 64;
        return (main.EventsPerRabbitmqMessage ?? 100) * perEvent;
    }

    /// <summary>Figures taken while other work shares the two cores say little: optionally wait for a quiet moment.</summary>
    private static async Task WaitForQuietAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        if (options.WaitForLoad is not { } threshold) return;
        var deadline = DateTime.UtcNow + options.WaitMax;
        while (MachineFacts.LoadAverage().FirstOrDefault() is var load && load >= threshold)
        {
            if (DateTime.UtcNow >= deadline)
            {
                Console.WriteLine($"  load average still {load:0.00} after {options.WaitMax.TotalSeconds:0} s: running anyway (the results record the load)");
                return;
            }
            Console.WriteLine($"  waiting for a quiet machine: load average {load:0.00} >= {threshold:0.00}");
            await Task.Delay(TimeSpan.FromSeconds(15), cancellationToken);
        }
    }

    /// <summary>Fails early, saying what to start, when the cluster or ClickHouse does not answer.</summary>
    private static async Task PreflightAsync(BenchOptions options, ClickHouseHttp clickHouse, BatchFactory batches)
    {
        try
        {
            await clickHouse.QueryAsync("SELECT 1");
        }
        catch (Exception ex) when (ex is HttpRequestException or ClickHouseHttpException or TaskCanceledException)
        {
            throw new BenchException($"ClickHouse does not answer at {options.ClickHouse} ({ex.Message}). Start the services with ./events.sh up.");
        }
        using var channel = GrpcChannel.ForAddress(options.Grpc);
        var client = new EventService.EventServiceClient(channel);
        var probe = batches.Create(0);
        try
        {
            var response = await client.dispatchAsync(probe.Message, deadline: DateTime.UtcNow.AddSeconds(30));
            if (response.Status != Outcome.Success) throw new BenchException($"The cluster answered {response.Status} to a valid batch.");
        }
        catch (RpcException ex)
        {
            throw new BenchException($"The cluster does not accept events at {options.Grpc} ({ex.StatusCode}: {ex.Status.Detail}). Start it with ./events.sh up.");
        }
    }
}
