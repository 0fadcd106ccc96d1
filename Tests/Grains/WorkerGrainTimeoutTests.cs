using System.Diagnostics.Metrics;
using Events.Grains;
using Events.Grains.Publishing;
using Events.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Events.Tests.Grains;

/// <summary>
/// The Api tells the worker grain how long it waits (its publish timeout). A group still queued in the silo after that
/// is dropped: the caller has answered UNAVAILABLE, so nobody will be told it was stored. An in-process silo with the
/// real grains; only the stream send is held, as <see cref="GatedSender"/> (what RabbitMQ does is not the subject).
/// </summary>
public sealed class WorkerGrainTimeoutTests : IAsyncLifetime
{
    private static readonly GatedSender Sender = new();
    private readonly MeterListener _listener = new();
    private long _dropped;
    private InProcessTestCluster? _cluster;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Events:Routing:Rules:0:Source"] = "grpc",
                ["Events:Routing:Rules:0:EventName"] = "*",
                ["Events:Routing:Rules:0:Tables:0"] = "event",
                ["Events:Publisher:MaxInFlightPerTable"] = "1",
            }).Build();
            silo.Services.AddEventPipeline(configuration);
            silo.Services.AddSingleton<ISinkStreamSender>(Sender);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PublishMetrics.MeterName && instrument.Name == "events.stream.dropped_events")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _dropped, value));
        _listener.Start();
    }

    [Fact]
    public async Task GroupWaitingLongerThanItsCaller_IsNeverSent()
    {
        var worker = _cluster!.Client.GetGrain<IEventWorkerGrain>("LaunchEvent");
        var first = worker.PublishAsync(Group("first"), TimeSpan.FromSeconds(30));
        await Sender.WaitForSends(1);

        // Queued behind the unconfirmed first message, by a caller that waits 200 ms.
        var abandoned = worker.PublishAsync(Group("abandoned"), TimeSpan.FromMilliseconds(200));
        await Task.Delay(600, TestContext.Current.CancellationToken);
        Sender.Gate.SetResult();
        await first;
        await Assert.ThrowsAsync<TimeoutException>(() => abandoned);
        await worker.PublishAsync(Group("after"), TimeSpan.FromSeconds(30));

        var codec = TestCodec.Create();
        var sent = Sender.Sent.SelectMany(s => codec.Decode(s.Batch)).SelectMany(g => g.Events).Select(e => e.Id);
        Assert.Equal(["first", "after"], sent);
        Assert.Equal(1, Interlocked.Read(ref _dropped));
    }

    private static EventGroup Group(string id) => new()
    {
        Source = "grpc",
        EventName = "LaunchEvent",
        Header = EventHeader.Empty,
        Events = [new IngestedEvent { Id = id, Name = "LaunchEvent", TimestampMs = 1 }],
    };

    public async ValueTask DisposeAsync()
    {
        Sender.Gate.TrySetResult(); // a failed test must not leave a grain call waiting through the silo's shutdown
        _listener.Dispose();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
