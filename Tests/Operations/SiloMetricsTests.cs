using System.Net;
using Events.Tests.Infrastructure;
using Events.Tests.Webhooks;
using static Events.Tests.EndToEnd.TestBatches;

namespace Events.Tests.Operations;

/// <summary>
/// The silo's <c>/metrics</c> moves by what really went through the pipeline: rows per table, inserts, publishes,
/// dead letters, the queues' backlog; and the Api's <c>/metrics</c> counts webhook events per provider.
/// </summary>
public sealed class SiloMetricsTests(SiloMetricsFixture fixture) : IClassFixture<SiloMetricsFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private PipelineFixture Pipeline => fixture.Pipeline;

    [Fact]
    public async Task SiloMetrics_AfterDispatch_CountRowsFlushedInsertsAndPublishesOfTheTable()
    {
        var table = ("table", "event");
        var before = await fixture.ScrapeSiloAsync();
        var device = "metrics-" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await Pipeline.DispatchAsync(Batch(Header(device), Launch($"{device}-1", now), Launch($"{device}-2", now), Launch($"{device}-3", now),
            PageOpened($"{device}-4", now), PageOpened($"{device}-5", now)));
        await Pipeline.WaitForRowsAsync("event", $"device_id = '{device}'", 5);

        var stored = ("stage", "stored");
        var after = await Eventually.Until(fixture.ScrapeSiloAsync,
            s => Grew(before, s, "events_sink_rows_flushed_total", table) >= 5 && Grew(before, s, "events_sink_lag_seconds_count", table, stored) >= 1,
            Patience, s => $"events_sink_rows_flushed_total{{table=event}} grew by {Grew(before, s, "events_sink_rows_flushed_total", table)}, " +
                $"events_sink_lag_seconds_count{{table=event,stage=stored}} by {Grew(before, s, "events_sink_lag_seconds_count", table, stored)}");
        Assert.Equal(5, Grew(before, after, "events_sink_rows_flushed_total", table, ("store", "clickhouse")));
        // Each message's lag from the front door: when it reached the sink, and when its rows were stored.
        Assert.True(Grew(before, after, "events_sink_lag_seconds_count", table, ("stage", "arrived")) >= 1);
        Assert.True(Grew(before, after, "events_sink_lag_seconds_sum", table, stored) > 0);
        Assert.Equal(5, Grew(before, after, "events_sink_insert_rows_sum", table));
        Assert.True(Grew(before, after, "events_sink_insert_rows_count", table) >= 1);
        Assert.True(Grew(before, after, "events_sink_insert_duration_seconds_count", table, ("outcome", "ok")) >= 1);
        Assert.True(after.Has("events_sink_insert_duration_seconds_bucket", table, ("outcome", "ok"), ("le", "0.1")));
        Assert.Equal(5, Grew(before, after, "events_stream_published_events_total", table));
        Assert.True(Grew(before, after, "events_stream_publish_duration_seconds_count", table, ("outcome", "ok")) >= 1);
        Assert.Equal(0, Grew(before, after, "events_stream_publish_failures_total", table));
        Assert.Equal(0, Grew(before, after, "events_sink_dead_letters_total", table));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', after.Text.Split('\n').Where(l => l.StartsWith("events_", StringComparison.Ordinal))));
        Assert.Contains("# TYPE events_sink_rows_flushed_total counter", after.Text);
        Assert.Contains("# TYPE events_sink_insert_duration_seconds histogram", after.Text);
    }

    [Fact]
    public async Task SiloMetrics_RefusedRow_CountsItsRetriesTheFailedInsertsAndOneDeadLetter()
    {
        var table = ("table", "event");
        var device = "refused-" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Pipeline.WaitForTableAsync("event");
        var before = await fixture.ScrapeSiloAsync();
        await Pipeline.ClickHouse.ExecuteAsync(
            $"ALTER TABLE `{Pipeline.Database}`.event ADD CONSTRAINT no_poison CHECK event_id NOT LIKE 'poison-%'");
        try
        {
            await Pipeline.DispatchAsync(Batch(Header(device), Launch($"{device}-1", now), Launch($"poison-{device}", now), Launch($"{device}-2", now)));
            await Pipeline.WaitForRowsAsync("error_event", $"device_id = '{device}'", 1);
        }
        finally
        {
            await Pipeline.ClickHouse.ExecuteAsync($"ALTER TABLE `{Pipeline.Database}`.event DROP CONSTRAINT no_poison");
        }

        var after = await Eventually.Until(fixture.ScrapeSiloAsync,
            s => Grew(before, s, "events_sink_dead_letters_total", table) >= 1, Patience,
            s => $"events_sink_dead_letters_total{{table=event}} grew by {Grew(before, s, "events_sink_dead_letters_total", table)}");
        Assert.Equal(1, Grew(before, after, "events_sink_dead_letters_total", table));
        // Tried alone once, then retried alone MaxRejectedRetries (2) times.
        Assert.Equal(2, Grew(before, after, "events_sink_retries_total", table, ("reason", "rejected")));
        Assert.True(Grew(before, after, "events_sink_insert_failures_total", table, ("store", "clickhouse"), ("error", "rejected")) >= 3);
        Assert.True(Grew(before, after, "events_sink_insert_duration_seconds_count", table, ("outcome", "rejected")) >= 3);
        Assert.Equal(2, Grew(before, after, "events_sink_rows_flushed_total", table));
        Assert.Equal(1, Grew(before, after, "events_sink_rows_flushed_total", ("table", "error_event")));
    }

    [Fact]
    public async Task SiloMetrics_QueueBacklog_ReportedForEveryQueueTheSiloConsumes()
    {
        const string ready = "events_rabbitmq_queue_messages_ready";
        // The stream queues (QueueCount 4 in the fixture) and the broker inputs: this one silo consumes them all.
        var queues = Enumerable.Range(0, 4).Select(i => $"{Pipeline.QueuePrefix}-{i}").Append(Pipeline.Inputs.Queue("trace_log")).ToList();
        var scrape = await Eventually.Until(fixture.ScrapeSiloAsync,
            s => queues.All(q => s.LabelValues(ready, "queue").Contains(q)), Patience,
            s => $"queues reported: {string.Join(", ", s.LabelValues(ready, "queue"))}");

        Assert.All(queues, queue => Assert.True(scrape.Sum(ready, ("queue", queue)) >= 0));
        Assert.Contains("# TYPE events_rabbitmq_queue_messages_ready gauge", scrape.Text);
    }

    [Fact]
    public async Task SiloMetrics_RuntimeMeter_ReportsGcPausesCollectionsAndAllocationsThatMoveWithWork()
    {
        const string allocated = "dotnet_gc_heap_total_allocated_bytes";
        var before = await fixture.ScrapeSiloAsync();
        var device = "runtime-" + Guid.NewGuid().ToString("N");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await Pipeline.DispatchAsync(Batch(Header(device), Launch($"{device}-1", now), Launch($"{device}-2", now)));
        await Pipeline.WaitForRowsAsync("event", $"device_id = '{device}'", 2);

        // The silo is its own process: its allocations for the batch must show in its own scrape.
        var after = await Eventually.Until(fixture.ScrapeSiloAsync, s => s.Sum(allocated) > before.Sum(allocated), Patience,
            s => $"{allocated}: {before.Sum(allocated)} -> {s.Sum(allocated)}");
        Assert.True(after.Has("dotnet_gc_pause_time_seconds"));
        Assert.True(after.Sum("dotnet_gc_pause_time_seconds") >= before.Sum("dotnet_gc_pause_time_seconds"));
        Assert.True(after.Sum("dotnet_gc_collections", ("gc_heap_generation", "gen0")) >= 1);
        Assert.True(after.Has("dotnet_thread_pool_queue_length"));
    }

    [Fact]
    public async Task ApiMetrics_WebhookEvents_CountedAsAcceptedOrRefusedWithTheProviderAsSource()
    {
        var branch = ProviderCases.Branch;
        var accepted = ("source", "branch");
        var before = await fixture.ScrapeApiAsync();
        using var sender = new WebhookSender(Pipeline.HttpPort);

        var sample = Sample.New();
        using (var ok = await sender.SendAsync(branch.Request(sample)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using (var wrong = await sender.SendAsync(branch.Request(Sample.New(), Credential.Wrong)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        await Pipeline.WaitForRowsAsync(branch.Table, branch.Where(sample), 1);

        var after = await Eventually.Until(fixture.ScrapeApiAsync,
            s => Grew(before, s, "events_dispatch_duration_seconds_count", accepted) >= 2, Patience,
            s => $"events_dispatch_duration_seconds_count{{source=branch}} grew by {Grew(before, s, "events_dispatch_duration_seconds_count", accepted)}");
        Assert.Equal(1, Grew(before, after, "events_accepted_total", accepted, ("type", branch.ExpectedName)));
        Assert.Equal(1, Grew(before, after, "events_refused_total", accepted, ("type", "unparsed"), ("reason", "unauthenticated")));
        Assert.Equal(1, Grew(before, after, "events_dispatch_duration_seconds_count", accepted, ("outcome", "success")));
        Assert.Equal(1, Grew(before, after, "events_dispatch_duration_seconds_count", accepted, ("outcome", "unauthenticated")));

        // And the silo stored it: its table's row counter moved too.
        var silo = await Eventually.Until(fixture.ScrapeSiloAsync,
            s => s.Sum("events_sink_rows_flushed_total", ("table", branch.Table)) >= 1, Patience,
            s => $"events_sink_rows_flushed_total{{table={branch.Table}}} = {s.Sum("events_sink_rows_flushed_total", ("table", branch.Table))}");
        Assert.Equal(1, silo.Sum("events_sink_rows_flushed_total", ("table", branch.Table)));
    }

    private static double Grew(PrometheusScrape before, PrometheusScrape after, string name, params (string, string)[] labels) =>
        after.Sum(name, labels) - before.Sum(name, labels);
}
