using System.Diagnostics;
using Events.Grains;
using Events.Grains.Publishing;
using Events.Tests.Infrastructure;

namespace Events.Tests.Unit;

public sealed class PublishLaneTests
{
    private static readonly SinkBatchCodec Codec = TestCodec.Create();

    private static CancellationToken Test => TestContext.Current.CancellationToken;

    private static readonly TimeSpan Forever = Timeout.InfiniteTimeSpan;

    private static PublishLane Lane(GatedSender sender, PublisherOptions options) =>
        new("event", sender, Codec, options, new PublishMetrics(TestMeters.Factory()));

    private static EventGroup Group(int events) => new()
    {
        Source = "grpc",
        EventName = "LaunchEvent",
        Header = EventHeader.Empty,
        Events = Enumerable.Range(0, events).Select(i => new IngestedEvent { Id = $"e{i}", Name = "LaunchEvent", TimestampMs = i }).ToArray(),
    };

    [Fact]
    public async Task Enqueue_WhileAMessageIsUnconfirmed_GroupsLeaveTogetherInTheNext()
    {
        var sender = new GatedSender();
        // Default MaxInFlightPerTable (4): free slots do not split the waiting groups into small messages.
        var lane = Lane(sender, new PublisherOptions { ShardsPerTable = 4, SlowConfirm = TimeSpan.Zero });

        var first = lane.EnqueueAsync(Group(1), Forever);
        await sender.WaitForSends(1);
        var waiting = Enumerable.Range(0, 5).Select(_ => lane.EnqueueAsync(Group(2), Forever)).ToArray();
        Assert.False(first.IsCompleted);

        var firstGate = sender.Gate;
        sender.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        firstGate.SetResult();
        await first;
        await sender.WaitForSends(2);
        sender.Gate.SetResult();
        await Task.WhenAll(waiting);

        var second = sender.Sent.ElementAt(1).Batch;
        Assert.Equal(5, Codec.Decode(second).Count);
        Assert.Equal(10, second.EventCount);
        Assert.All(sender.Sent, s => Assert.Equal("event", s.Stream.GetKeyAsString()));
    }

    [Fact]
    public async Task Enqueue_WhileAFullMessageWaits_AnotherMessageIsConfirmedAtOnce()
    {
        var sender = new GatedSender();
        var lane = Lane(sender, new PublisherOptions { MaxInFlightPerTable = 2, MaxEventsPerMessage = 5, SlowConfirm = TimeSpan.Zero });
        var first = lane.EnqueueAsync(Group(1), Forever);
        await sender.WaitForSends(1);

        // 2 + 2 events wait behind the unconfirmed first message: less than a full message, so nothing more leaves.
        var waiting = new[] { lane.EnqueueAsync(Group(2), Forever), lane.EnqueueAsync(Group(2), Forever) };
        await Task.Delay(200, Test);
        Assert.Single(sender.Sent);

        // From 6 waiting on, a full message waits: a second one leaves with as many as fit (2 + 2) while the first is unconfirmed.
        var rest = new[] { lane.EnqueueAsync(Group(2), Forever), lane.EnqueueAsync(Group(3), Forever), lane.EnqueueAsync(Group(3), Forever) };
        await sender.WaitForSends(2);
        Assert.Equal(4, sender.Sent.ElementAt(1).Batch.EventCount);
        Assert.False(first.IsCompleted);

        // 2 + 3 + 3 still wait (8 events), but both slots are taken: a third only leaves after a confirm.
        await Task.Delay(200, Test);
        Assert.Equal(2, sender.Sent.Count);

        sender.Gate.SetResult();
        await Task.WhenAll(waiting.Concat(rest).Append(first));
        Assert.Equal([1, 4, 5, 3], sender.Sent.Select(s => s.Batch.EventCount));
    }

    [Fact]
    public async Task Expired_BeforeItsMessageLeaves_IsDropped_AfterwardsItsOutcomeStands()
    {
        var sender = new GatedSender();
        var lane = Lane(sender, new PublisherOptions { MaxInFlightPerTable = 1 });
        var first = lane.EnqueueAsync(Group(1), TimeSpan.FromMilliseconds(100)); // leaves at once, then waits longer
        await sender.WaitForSends(1);
        var abandoned = lane.EnqueueAsync(Group(2), TimeSpan.FromMilliseconds(100));
        var kept = lane.EnqueueAsync(Group(3), Forever);
        await Task.Delay(300, Test);

        sender.Gate.SetResult();
        await Task.WhenAll(first, kept);
        await Assert.ThrowsAsync<TimeoutException>(() => abandoned);
        Assert.Equal([1, 3], sender.Sent.Select(s => s.Batch.EventCount));
    }

    [Fact]
    public async Task Expired_EveryWaitingGroup_NoEmptyMessageLeaves_AndTheLaneGoesOn()
    {
        var sender = new GatedSender();
        var lane = Lane(sender, new PublisherOptions { MaxInFlightPerTable = 1 });
        var first = lane.EnqueueAsync(Group(1), Forever);
        await sender.WaitForSends(1);
        var abandoned = Enumerable.Range(0, 3).Select(_ => lane.EnqueueAsync(Group(2), TimeSpan.FromMilliseconds(50))).ToArray();
        await Task.Delay(200, Test);

        sender.Gate.SetResult();
        await first;
        await lane.EnqueueAsync(Group(4), Forever);

        Assert.All(abandoned, t => Assert.IsType<TimeoutException>(t.Exception?.InnerException));
        Assert.Equal([1, 4], sender.Sent.Select(s => s.Batch.EventCount));
    }

    [Fact]
    public async Task Enqueue_MessagesRespectTheEventLimit()
    {
        var sender = new GatedSender();
        var lane = Lane(sender, new PublisherOptions { MaxInFlightPerTable = 1, MaxEventsPerMessage = 5 });
        var first = lane.EnqueueAsync(Group(1), Forever);
        await sender.WaitForSends(1);
        var rest = Enumerable.Range(0, 4).Select(_ => lane.EnqueueAsync(Group(3), Forever)).ToArray();

        sender.Gate.SetResult();
        await Task.WhenAll(rest.Append(first));

        Assert.Equal([1, 3, 3, 3, 3], sender.Sent.Select(s => s.Batch.EventCount));
    }

    [Fact]
    public async Task SendFailure_FaultsEveryGroupOfThatMessage()
    {
        var sender = new GatedSender { Failure = new InvalidOperationException("broker down") };
        var lane = Lane(sender, new PublisherOptions { MaxInFlightPerTable = 1 });
        var first = lane.EnqueueAsync(Group(1), Forever);
        await sender.WaitForSends(1);
        var second = lane.EnqueueAsync(Group(1), Forever);

        sender.Gate.SetResult();

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => second);
    }

    [Fact]
    public async Task Enqueue_SpreadsMessagesOverTheTablesShards()
    {
        var sender = new GatedSender();
        sender.Gate.SetResult();
        var lane = Lane(sender, new PublisherOptions { MaxInFlightPerTable = 1, ShardsPerTable = 3 });

        for (var i = 0; i < 6; i++)
        {
            await lane.EnqueueAsync(Group(1), Forever);
        }

        var namespaces = sender.Sent.Select(s => s.Stream.GetNamespace()).ToHashSet();
        Assert.Equal(3, namespaces.Count);
        Assert.All(namespaces, ns => Assert.Matches(SinkStreams.NamespacePattern, ns!));
    }

    [Fact]
    public async Task Linger_AfterAConfirm_AFewWaitingEventsWaitForMore()
    {
        var sender = new GatedSender();
        var lingerFor = TimeSpan.FromMilliseconds(400);
        var lane = Lane(sender, new PublisherOptions { MaxInFlightPerTable = 1, Linger = lingerFor, LingerUntilEvents = 100 });
        var first = lane.EnqueueAsync(Group(1), Forever);
        await sender.WaitForSends(1);
        var second = lane.EnqueueAsync(Group(2), Forever);

        var arrived = Stopwatch.StartNew();

        sender.Gate.SetResult();
        await first;
        await Task.Delay(100, Test);
        Assert.Single(sender.Sent); // 2 events waited through the confirm: fewer than 100, so they linger
        var third = lane.EnqueueAsync(Group(3), Forever);

        await Task.WhenAll(second, third);
        Assert.True(arrived.Elapsed >= lingerFor - TimeSpan.FromMilliseconds(20), $"left {arrived.Elapsed} after the group came");
        Assert.Equal([1, 5], sender.Sent.Select(s => s.Batch.EventCount));
    }

    [Fact]
    public async Task Linger_EndsAsSoonAsEnoughEventsWait()
    {
        var sender = new GatedSender();
        var lane = Lane(sender, new PublisherOptions { MaxInFlightPerTable = 1, Linger = TimeSpan.FromSeconds(30), LingerUntilEvents = 5 });
        var first = lane.EnqueueAsync(Group(1), Forever);
        await sender.WaitForSends(1);
        var second = lane.EnqueueAsync(Group(2), Forever);
        sender.Gate.SetResult();
        await first;
        await Task.Delay(100, Test);
        Assert.Single(sender.Sent);

        var third = lane.EnqueueAsync(Group(3), Forever); // 5 events wait now: the message leaves, well before 30 s
        await sender.WaitForSends(2);
        await Task.WhenAll(second, third);
        Assert.Equal([1, 5], sender.Sent.Select(s => s.Batch.EventCount));
    }

    [Fact]
    public async Task Linger_AGroupReachingAnIdleLane_LeavesAtOnce()
    {
        var sender = new GatedSender();
        sender.Gate.SetResult();
        var lane = Lane(sender, new PublisherOptions { Linger = TimeSpan.FromSeconds(30), LingerUntilEvents = 1000 });

        // Each group finds the lane idle, the one before it confirmed: none waits for the linger.
        for (var i = 1; i <= 3; i++)
        {
            await lane.EnqueueAsync(Group(i), Forever).WaitAsync(TimeSpan.FromSeconds(5), Test);
            await Task.Delay(50, Test); // until the drainer has seen the lane empty and left
        }
        Assert.Equal([1, 2, 3], sender.Sent.Select(s => s.Batch.EventCount));
    }

    [Fact]
    public async Task Linger_AFullMessageWaiting_LeavesAtOnce()
    {
        var sender = new GatedSender();
        var lane = Lane(sender, new PublisherOptions
        {
            MaxInFlightPerTable = 1, MaxEventsPerMessage = 5, Linger = TimeSpan.FromSeconds(30), LingerUntilEvents = 1000,
        });
        _ = lane.EnqueueAsync(Group(1), Forever);
        await sender.WaitForSends(1);
        _ = lane.EnqueueAsync(Group(3), Forever);
        _ = lane.EnqueueAsync(Group(3), Forever);

        sender.Gate.SetResult();
        await sender.WaitForSends(2);
        Assert.Equal(3, sender.Sent.ElementAt(1).Batch.EventCount);
    }

    [Fact]
    public async Task Linger_IsCountedFromTheFirstGroupsArrival()
    {
        var sender = new GatedSender();
        var lane = Lane(sender, new PublisherOptions { MaxInFlightPerTable = 1, Linger = TimeSpan.FromSeconds(2), LingerUntilEvents = 1000 });
        var first = lane.EnqueueAsync(Group(1), Forever);
        await sender.WaitForSends(1);
        var second = lane.EnqueueAsync(Group(2), Forever);
        await Task.Delay(TimeSpan.FromSeconds(2.1), Test); // a confirm slower than the linger

        sender.Gate.SetResult();
        // It already waited the linger during the confirm: it leaves right away, not 2 s later.
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(1), Test);
        Assert.Equal([1, 2], sender.Sent.Select(s => s.Batch.EventCount));
    }

    [Fact]
    public async Task SlowConfirm_GroupsWaitingBehindIt_LeaveInAnotherMessage()
    {
        var sender = new GatedSender();
        var slow = TimeSpan.FromMilliseconds(300);
        var lane = Lane(sender, new PublisherOptions { SlowConfirm = slow });
        var first = lane.EnqueueAsync(Group(1), Forever);
        await sender.WaitForSends(1);
        var sentFirst = Stopwatch.StartNew();
        var waiting = new[] { lane.EnqueueAsync(Group(2), Forever), lane.EnqueueAsync(Group(3), Forever) };

        await Task.Delay(100, Test);
        Assert.Single(sender.Sent); // not slow yet: they wait for its confirm, as one message would

        await sender.WaitForSends(2);
        Assert.True(sentFirst.Elapsed >= slow - TimeSpan.FromMilliseconds(20), $"left {sentFirst.Elapsed} after the first");
        Assert.Equal(5, sender.Sent.ElementAt(1).Batch.EventCount);
        Assert.False(first.IsCompleted);

        sender.Gate.SetResult();
        await Task.WhenAll(waiting.Append(first));
    }

    [Fact]
    public async Task SlowConfirm_WithNothingWaiting_AGroupComingLaterLeavesAtOnce()
    {
        var sender = new GatedSender();
        var lane = Lane(sender, new PublisherOptions { SlowConfirm = TimeSpan.FromMilliseconds(50) });
        var first = lane.EnqueueAsync(Group(1), Forever);
        await sender.WaitForSends(1);
        await Task.Delay(200, Test);
        Assert.Single(sender.Sent); // slow, but no group waits behind it: nothing more to send

        var second = lane.EnqueueAsync(Group(2), Forever);
        await sender.WaitForSends(2);
        Assert.False(first.IsCompleted);

        sender.Gate.SetResult();
        await Task.WhenAll(first, second);
        Assert.Equal([1, 2], sender.Sent.Select(s => s.Batch.EventCount));
    }

    [Fact]
    public async Task SlowConfirm_NoMoreThanMaxInFlightPerTableMessages()
    {
        var sender = new GatedSender();
        var lane = Lane(sender, new PublisherOptions { MaxInFlightPerTable = 2, SlowConfirm = TimeSpan.FromMilliseconds(50) });
        var first = lane.EnqueueAsync(Group(1), Forever);
        await sender.WaitForSends(1);
        await Task.Delay(100, Test);
        var second = lane.EnqueueAsync(Group(2), Forever);
        await sender.WaitForSends(2);

        // Both messages are slow now, and both slots taken: the next groups wait for a confirm.
        var rest = new[] { lane.EnqueueAsync(Group(3), Forever), lane.EnqueueAsync(Group(4), Forever) };
        await Task.Delay(200, Test);
        Assert.Equal(2, sender.Sent.Count);

        sender.Gate.SetResult();
        await Task.WhenAll(rest.Append(first).Append(second));
        Assert.Equal([1, 2, 7], sender.Sent.Select(s => s.Batch.EventCount));
    }

    [Fact]
    public async Task SlowConfirm_Zero_GroupsWaitForTheConfirm()
    {
        var sender = new GatedSender();
        var lane = Lane(sender, new PublisherOptions { SlowConfirm = TimeSpan.Zero });
        var first = lane.EnqueueAsync(Group(1), Forever);
        await sender.WaitForSends(1);
        var second = lane.EnqueueAsync(Group(2), Forever);
        await Task.Delay(300, Test);
        Assert.Single(sender.Sent);

        sender.Gate.SetResult();
        await Task.WhenAll(first, second);
        Assert.Equal([1, 2], sender.Sent.Select(s => s.Batch.EventCount));
    }
}
