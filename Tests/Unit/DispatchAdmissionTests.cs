using Events.Api.Dispatch;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Events.Tests.Unit;

/// <summary>The Api's bound on events in flight (<see cref="DispatchAdmission"/>): what it admits and when it frees them.</summary>
public sealed class DispatchAdmissionTests : IDisposable
{
    private readonly DispatchAdmission _admission = new(
        Options.Create(new DispatchOptions { MaxEventsInFlight = 300 }), TimeProvider.System, NullLogger<DispatchAdmission>.Instance);

    [Fact]
    public void TryStart_PastTheLimit_StartsNothing()
    {
        var held = new TaskCompletionSource();
        Assert.NotNull(_admission.TryStart(200, () => held.Task));
        Assert.NotNull(_admission.TryStart(100, () => held.Task));

        var started = false;
        var refused = _admission.TryStart(1, () => { started = true; return Task.CompletedTask; });

        Assert.Null(refused);
        Assert.False(started);
        Assert.Equal(300, _admission.EventsInFlight);
    }

    [Fact]
    public async Task EventsAreFreed_WhenThePublishEnds_NotWhenTheCallerStopsWaiting()
    {
        var held = new TaskCompletionSource();
        var publish = _admission.TryStart(300, () => held.Task)!;

        // The caller gives up, as EventService does at its publish timeout; the silo is still working on the events.
        await Assert.ThrowsAsync<TimeoutException>(() => publish.WaitAsync(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken));
        Assert.Null(_admission.TryStart(100, () => Task.CompletedTask));

        held.SetResult();
        Assert.Equal(0, _admission.EventsInFlight);
        Assert.NotNull(_admission.TryStart(100, () => Task.CompletedTask));
    }

    [Fact]
    public void FailedPublish_FreesItsEvents()
    {
        var held = new TaskCompletionSource();
        _admission.TryStart(300, () => held.Task);

        held.SetException(new InvalidOperationException("the silo could not publish"));

        Assert.Equal(0, _admission.EventsInFlight);
    }

    [Fact]
    public void PublishThatThrowsBeforeReturningATask_FreesItsEvents()
    {
        Func<Task> publish = () => throw new InvalidOperationException("no grain");

        // TryStart itself throws (it returns no task), which Assert.Throws's analyzer takes for async code.
        Exception? thrown = null;
        try
        {
            _admission.TryStart(300, publish);
        }
        catch (InvalidOperationException ex)
        {
            thrown = ex;
        }

        Assert.NotNull(thrown);

        Assert.Equal(0, _admission.EventsInFlight);
    }

    [Fact]
    public void BatchLargerThanTheLimit_IsAdmittedAlone()
    {
        var held = new TaskCompletionSource();
        Assert.NotNull(_admission.TryStart(1_000, () => held.Task));
        Assert.Equal(300, _admission.EventsInFlight);
        Assert.Null(_admission.TryStart(1, () => Task.CompletedTask));

        held.SetResult();
        Assert.NotNull(_admission.TryStart(1_000, () => Task.CompletedTask));
    }

    public void Dispose() => _admission.Dispose();
}
