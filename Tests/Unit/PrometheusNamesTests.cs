using Events.Silo.Metrics;

namespace Events.Tests.Unit;

public sealed class PrometheusNamesTests
{
    [Theory]
    [InlineData("events.sink.rows_flushed", "{row}", true, "events_sink_rows_flushed_total")]
    [InlineData("events.sink.insert.duration", "s", false, "events_sink_insert_duration_seconds")]
    [InlineData("events.sink.insert.rows", "{row}", false, "events_sink_insert_rows")]
    [InlineData("events.rabbitmq.queue.messages_ready", "{message}", false, "events_rabbitmq_queue_messages_ready")]
    [InlineData("events.body.size", "By", false, "events_body_size_bytes")]
    [InlineData("already_total", null, true, "already_total")]
    [InlineData("wait_seconds", "s", false, "wait_seconds")]
    [InlineData("http-requests/2", null, true, "http_requests_2_total")]
    [InlineData("9lives", null, false, "_9lives")]
    public void For_DotNetInstrument_FollowsPrometheusConventions(string instrument, string? unit, bool counter, string expected) =>
        Assert.Equal(expected, PrometheusNames.For(instrument, unit, counter));

    [Theory]
    [InlineData("gc.heap.generation", "gc_heap_generation")]
    [InlineData("cpu.mode", "cpu_mode")]
    [InlineData("table", "table")]
    [InlineData("a:b", "a_b")]
    [InlineData("9x", "_9x")]
    public void Label_DotNetTagName_BecomesAValidLabelName(string tag, string expected) =>
        Assert.Equal(expected, PrometheusNames.Label(tag));
}
