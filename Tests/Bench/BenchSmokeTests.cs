using System.Diagnostics;
using System.Text.Json;
using Events.Tests.Infrastructure;

namespace Events.Tests.Bench;

/// <summary>
/// CI's short run of the benchmark tool (Bench/) against a real pipeline, so the tool keeps working: it must drive
/// the front door, follow the events into ClickHouse, run the three references and write its results file.
/// Benchmarks are not tests: nothing here asserts a speed.
/// </summary>
public sealed class BenchSmokeTests(PipelineFixture pipeline) : IClassFixture<PipelineFixture>
{
    private static readonly string[] HeadlineKeys =
        ["events_per_sec", "ratio_vs_clickhouse_bulk", "ratio_vs_async_insert", "dispatch_p99_ms", "freshness_p99_ms"];

    [Fact]
    public async Task Bench_ShortRunAgainstAPipeline_WritesResultsWithAcceptedEventsAndReferences()
    {
        var output = Path.Combine(Path.GetTempPath(), $"bench-smoke-{Guid.NewGuid():N}.json");
        try
        {
            var (exitCode, log) = await RunBenchAsync(
                "--grpc", $"http://{LocalServices.Host}:{pipeline.GrpcPort}",
                "--clickhouse", $"http://{LocalServices.Host}:{LocalServices.ClickHousePort}",
                "--database", pipeline.Database,
                "--rabbitmq", LocalServices.RabbitMqUri.ToString(),
                "--queue-prefix", pipeline.QueuePrefix,
                "--clients", "4", "--batch", "50", "--types", "5",
                "--warmup", "1", "--duration", "3", "--half-rate-seconds", "2", "--drain-timeout", "60",
                "--reference-seconds", "1", "--bulk-batch", "5000", "--async-clients", "4", "--rabbitmq-in-flight", "16",
                "--output", output);

            Assert.True(exitCode == 0, $"the benchmark exited with {exitCode}:\n{log}\n{pipeline.Logs()}");
            Assert.True(File.Exists(output), $"no results file at {output}:\n{log}");
            using var results = JsonDocument.Parse(await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken));
            var root = results.RootElement;
            foreach (var key in HeadlineKeys)
            {
                Assert.True(root.TryGetProperty(key, out _), $"results lack '{key}':\n{root}");
            }
            Assert.True(root.GetProperty("accepted_events_per_sec").GetDouble() > 0, $"no accepted events:\n{log}");
            Assert.True(root.GetProperty("events_per_sec").GetDouble() > 0, $"no events end to end:\n{log}");
            var peak = root.GetProperty("phases")[0];
            Assert.True(peak.GetProperty("drained").GetBoolean(), $"accepted events never all reached ClickHouse:\n{log}");
            // The freshness probe looks its samples up only after an insert committed: every sample must still be seen.
            var freshness = peak.GetProperty("freshness");
            Assert.True(freshness.GetProperty("seen").GetInt32() > 0 && freshness.GetProperty("missing").GetInt32() == 0,
                $"freshness samples not all seen: {freshness}");
            // The open-loop half-rate phase reports how late its sender was; the closed-loop peak has no schedule.
            var halfRate = root.GetProperty("phases")[1];
            Assert.True(halfRate.GetProperty("sender_lateness_ms").GetProperty("count").GetInt64() > 0, $"no sender lateness at half rate:\n{halfRate}");
            Assert.Equal(JsonValueKind.Null, peak.GetProperty("sender_lateness_ms").ValueKind);
            foreach (var reference in new[] { "clickhouse_bulk", "rabbitmq_confirm", "async_insert" })
            {
                var figures = root.GetProperty("references").GetProperty(reference);
                Assert.True(figures.GetProperty("error").ValueKind == JsonValueKind.Null, $"reference {reference} failed: {figures}");
                Assert.True(figures.GetProperty("units").GetInt64() > 0, $"reference {reference} moved nothing: {figures}");
            }
            // The ClickHouse references count the rows ClickHouse confirmed, not those left after merges collapsed the
            // copies they send again and again.
            var bulk = root.GetProperty("references").GetProperty("clickhouse_bulk");
            var bulkDetails = bulk.GetProperty("details");
            Assert.Equal(bulkDetails.GetProperty("inserts").GetInt64() * bulkDetails.GetProperty("rows_per_insert").GetInt64(), bulk.GetProperty("units").GetInt64());
            var asyncInsert = root.GetProperty("references").GetProperty("async_insert");
            var asyncDetails = asyncInsert.GetProperty("details");
            Assert.Equal(asyncDetails.GetProperty("inserts").GetInt64() * 100, asyncInsert.GetProperty("units").GetInt64()); // --async-batch 100
            Assert.True(asyncDetails.GetProperty("rows_left_after_merges").GetInt64() <= asyncInsert.GetProperty("units").GetInt64(), $"{asyncInsert}");
            // The run deleted its rows at the end (--remove-rows on by default): none of its devices is left in event.
            var removed = root.GetProperty("rows_removed");
            Assert.True(removed.ValueKind == JsonValueKind.Object && removed.TryGetProperty("event", out var fromEvent) && fromEvent.GetInt64() > 0,
                $"rows_removed does not name event:\n{removed}\n{log}");
            var left = await pipeline.ClickHouse.RowsAsync(
                $"SELECT toUInt32(count()) AS rows FROM `{pipeline.Database}`.event WHERE startsWith(device_id, 'bench-')");
            Assert.Equal(0, left[0].GetProperty("rows").GetInt64());
            var machine = root.GetProperty("machine");
            Assert.True(machine.GetProperty("cores").GetInt32() > 0 && machine.GetProperty("load_avg_start").GetArrayLength() == 3,
                $"machine facts missing: {machine}");
        }
        finally
        {
            File.Delete(output);
        }
    }

    /// <summary>Runs Bench.dll from its build output like ./events.sh bench does; returns its exit code and output.</summary>
    private static Task<(int ExitCode, string Output)> RunBenchAsync(params string[] arguments)
    {
        var dll = RepoPaths.BuildOutput("Bench");
        var info = new ProcessStartInfo("dotnet", [dll, .. arguments]) { WorkingDirectory = Path.GetDirectoryName(dll)! };
        return CommandRun.RunAsync(info, TimeSpan.FromMinutes(4));
    }
}
