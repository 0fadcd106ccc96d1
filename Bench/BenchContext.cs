using Events.Bench.Load;
using Events.Bench.Measure;

namespace Events.Bench;

/// <summary>What every phase of a run shares: the load, and the instruments that watch the cluster.</summary>
internal sealed class BenchContext(
    BenchOptions options,
    string runId,
    BatchFactory batches,
    LoadDriver load,
    ClickHouseHttp clickHouse,
    RabbitMqQueueStats queues,
    ProcessSampler processes) : IAsyncDisposable
{
    public BenchOptions Options => options;
    public string RunId => runId;
    public BatchFactory Batches => batches;
    public LoadDriver Load => load;
    public ClickHouseHttp ClickHouse => clickHouse;
    public TableInserts Tables { get; } = new(clickHouse, options.Database);
    public ClickHouseServerCounters ServerCounters { get; } = new(clickHouse);
    public RabbitMqQueueStats Queues => queues;
    public ProcessSampler Processes => processes;
    public SiloScrapes Silos { get; } = new(options.SiloMetrics);

    public async ValueTask DisposeAsync()
    {
        load.Dispose();
        clickHouse.Dispose();
        queues.Dispose();
        Silos.Dispose();
        await processes.DisposeAsync();
    }
}
