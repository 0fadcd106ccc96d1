using System.Collections.Concurrent;
using Events.Grains;
using Events.Grains.Publishing;

namespace Events.Tests.Infrastructure;

/// <summary>A stream sender that holds every send until released, to observe what accumulates meanwhile.</summary>
internal sealed class GatedSender : ISinkStreamSender
{
    public TaskCompletionSource Gate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public Exception? Failure { get; set; }
    public ConcurrentQueue<(StreamId Stream, SinkBatch Batch)> Sent { get; } = new();

    public async Task SendAsync(StreamId stream, SinkBatch batch)
    {
        Sent.Enqueue((stream, batch));
        await Gate.Task;
        if (Failure is not null)
        {
            throw Failure;
        }
    }

    /// <summary>Waits up to 5 s for exactly <paramref name="count"/> sends.</summary>
    public async Task WaitForSends(int count)
    {
        for (var i = 0; i < 500 && Sent.Count < count; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        Assert.Equal(count, Sent.Count);
    }
}
