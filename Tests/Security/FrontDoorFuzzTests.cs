using System.Collections.Concurrent;
using System.Diagnostics;
using Events.Api.Dispatch;
using Events.Tests.Infrastructure;

namespace Events.Tests.Security;

/// <summary>
/// Thousands of generated bad requests through the real gRPC and webhook front doors of a running silo and Api:
/// every answer is the documented status, no message leaks internals, both processes keep serving, and the valid
/// batches sent in between are all stored.
/// </summary>
public sealed class FrontDoorFuzzTests(SecurityFixture fixture) : IClassFixture<SecurityFixture>
{
    private const int Seed = 20261123;
    private const int Workers = 4;
    private const int RequestsPerWorker = 1_500;
    private const int SentinelEvery = 50;
    private static readonly TimeSpan RunTime = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(180);
    // What would show an internal leaking: exception names, stack frames, our dependencies' namespaces.
    private static readonly string[] Internals = ["Exception", "   at ", " at System.", " at Events.", "Orleans.", "RabbitMQ.Client", "ClickHouse.Driver", "Npgsql"];

    [Fact]
    public async Task HostileRequests_GetTheirDocumentedAnswers_AndValidBatchesInBetweenAreStored()
    {
        var device = "fuzz-" + Guid.NewGuid().ToString("N")[..12];
        var sentinel = "sentinel-" + Guid.NewGuid().ToString("N")[..12];
        var outcomes = new ConcurrentDictionary<(string Door, string Name, int Status), int>();
        var failures = new ConcurrentQueue<string>();
        var sentinelEvents = 0;
        var unknownStored = 0;
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var rng = new Random(Seed + worker);
            var grpc = new HostileGrpcCases(fixture.Grpc, rng, device);
            var webhooks = new HostileWebhookCases(fixture.Http, rng);
            for (var i = 1; i <= RequestsPerWorker && clock.Elapsed < RunTime; i++)
            {
                var hostile = rng.Next(4) == 0 ? webhooks.Next() : grpc.Next();
                var (status, message) = await hostile.Send();
                outcomes.AddOrUpdate((hostile.Door, hostile.Name, status), 1, (_, n) => n + 1);
                if (!hostile.Allowed.Contains(status))
                {
                    failures.Enqueue($"{hostile.Door} '{hostile.Name}': {status} '{message}', expected one of [{string.Join(", ", hostile.Allowed)}]");
                }
                if (Internals.FirstOrDefault(message.Contains) is { } leaked)
                {
                    failures.Enqueue($"{hostile.Door} '{hostile.Name}': the answer '{message}' mentions '{leaked}'");
                }
                if (status == HostileGrpcCases.Ok)
                {
                    Interlocked.Add(ref unknownStored, hostile.UnknownEvents);
                }
                if (i % SentinelEvery == 0)
                {
                    var batch = grpc.Valid(sentinel);
                    await fixture.Pipeline.DispatchAsync(batch);
                    Interlocked.Add(ref sentinelEvents, batch.Events_.Count);
                }
            }
        }, TestContext.Current.CancellationToken)));

        var table = FormatOutcomes(outcomes);
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "events-fuzz-outcomes.txt"), table, TestContext.Current.CancellationToken);
        TestContext.Current.TestOutputHelper?.WriteLine(table);
        Assert.True(failures.IsEmpty, $"{failures.Count} unexpected answers, e.g.:\n{string.Join('\n', failures.Take(20))}\n{table}");
        var total = outcomes.Values.Sum();
        Assert.True(total >= 1000, $"expected thousands of hostile requests in {RunTime.TotalSeconds} s, sent {total}");
        Assert.True(sentinelEvents > 0, "no valid batch was sent in between");

        // Both processes still serve: every valid batch in between, and every accepted event of an unknown type, is stored.
        // Patient: the accepted hostile batches were stored too, and the machine is shared.
        await CountAsync($"device_id = '{sentinel}'", sentinelEvents);
        await CountAsync($"device_id = '{device}' AND event_name = '{EventGrouper.UnknownEventName}'", unknownStored);
        var readyz = await fixture.Http.GetAsync("readyz", TestContext.Current.CancellationToken);
        Assert.True(readyz.IsSuccessStatusCode, $"readyz answered {(int)readyz.StatusCode} after the run\n{fixture.Pipeline.Logs()}");
    }

    private Task CountAsync(string where, int expected) => Eventually.Until(
        () => fixture.Pipeline.ClickHouse.ExecuteAsync($"SELECT uniqExact(event_id) FROM `{fixture.Pipeline.Database}`.event WHERE {where}"),
        count => long.Parse(count.Trim()) >= expected, StoreTimeout,
        count => $"expected {expected} events where {where}, found {count.Trim()}\n{fixture.Pipeline.Logs()}");

    private static string FormatOutcomes(ConcurrentDictionary<(string Door, string Name, int Status), int> outcomes) =>
        "| Door | Case | Answer | Count |\n|---|---|---|---|\n" + string.Join('\n', outcomes
            .OrderBy(o => o.Key.Door).ThenBy(o => o.Key.Name).ThenBy(o => o.Key.Status)
            .Select(o => $"| {o.Key.Door} | {o.Key.Name} | {Describe(o.Key.Door, o.Key.Status)} | {o.Value} |"))
        + $"\n| | total | | {outcomes.Values.Sum()} |";

    private static string Describe(string door, int status) => door == "webhook" ? $"HTTP {status}" : status switch
    {
        0 => "OK (SUCCESS)",
        3 => "INVALID_ARGUMENT",
        8 => "RESOURCE_EXHAUSTED",
        13 => "INTERNAL",
        _ => $"gRPC {status}",
    };
}
