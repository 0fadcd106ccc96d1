using System.Diagnostics;
using Grpc.Core;

namespace Events.Tests.Faults;

/// <summary>
/// Guarantee 2: RabbitMQ stops for a while under load and comes back. Silos and Api are left alone: publishing and
/// consuming must resume by themselves, and while the broker is away dispatch answers UNAVAILABLE, never SUCCESS.
/// </summary>
[Collection(FaultTestCollection.Name)]
public sealed class RabbitMqRestartTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SettleAfterStop = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task RabbitMqRestarted_UnderLoad_PipelineResumesByItselfAndNoAcknowledgedEventIsLost()
    {
        await ServiceScript.RequireStartedByScriptAsync("rabbitmq");
        await using var scenario = await FaultScenario.StartAsync("rabbitmq restart", silos: 2);
        var load = scenario.Load;
        int unavailableDuringOutage, acknowledgedDuringOutage;
        TimeSpan stopping, starting;
        try
        {
            var clock = Stopwatch.StartNew();
            await ServiceScript.StopAsync("rabbitmq");
            stopping = clock.Elapsed;
            FaultScenario.Log($"rabbitmq stopped; {load.AcknowledgedCount} events acknowledged");
            // A call confirmed just before the broker went away may still be answering.
            await Task.Delay(SettleAfterStop, TestContext.Current.CancellationToken);
            var unavailable = load.AnswersWith(StatusCode.Unavailable);
            var acknowledged = load.AcknowledgedCount;
            await Task.Delay(Outage - SettleAfterStop, TestContext.Current.CancellationToken); // the outage itself
            unavailableDuringOutage = load.AnswersWith(StatusCode.Unavailable) - unavailable;
            acknowledgedDuringOutage = load.AcknowledgedCount - acknowledged;
            clock.Restart();
            await ServiceScript.StartAsync("rabbitmq");
            starting = clock.Elapsed;
            FaultScenario.Log($"rabbitmq started; {unavailableDuringOutage} UNAVAILABLE and {acknowledgedDuringOutage} acknowledged events while it was down");
        }
        finally
        {
            await ServiceScript.EnsureStartedAsync("rabbitmq");
        }

        var resumed = await scenario.ExpectProgressAsync(100, TimeSpan.FromSeconds(60), "publishing after RabbitMQ came back");
        await scenario.ExpectProgressAsync(2_000, TimeSpan.FromSeconds(60), "after RabbitMQ came back");
        var report = await scenario.FinishAsync($"RabbitMQ stopped for {Outage.TotalSeconds:0} s and started again (services.sh), 2 silos",
            $"{unavailableDuringOutage} UNAVAILABLE and {acknowledgedDuringOutage} SUCCESS answers while the broker was down; " +
            $"SUCCESS again {resumed.TotalSeconds:0.0} s after it was back; stopping took {stopping.TotalSeconds:0} s, starting {starting.TotalSeconds:0} s");

        await scenario.AssertNothingLostAsync(report);
        Assert.True(unavailableDuringOutage > 0, "no dispatch was answered UNAVAILABLE while RabbitMQ was down");
        Assert.True(acknowledgedDuringOutage == 0, $"{acknowledgedDuringOutage} events were answered SUCCESS while RabbitMQ was down");
        await scenario.AssertQueuesDrainedAsync();
        scenario.AssertNoUnserializableErrors();
    }
}
