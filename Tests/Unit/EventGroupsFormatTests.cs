using System.Reflection;
using Events.Grains;
using Events.Grains.Publishing;

namespace Events.Tests.Unit;

public sealed class EventGroupsFormatTests
{
    /// <summary>
    /// Every settable property of <typeparamref name="T"/> set to a value of its own, so that a property the format
    /// does not carry reads back different: a field added to the types fails here until the format has it.
    /// </summary>
    private static readonly HashSet<string> SetByTheTest = ["Header", "Events", "StoredIn", "ReceivedAtUtc"];

    private static T Filled<T>(T value, int seed) where T : class
    {
        var n = seed;
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            n++;
            object? filled = property.PropertyType == typeof(string) ? $"{property.Name}-é-{n}"
                : property.PropertyType == typeof(long) ? 1_000_000_000_000L + n
                : null;
            if (filled is not null) property.SetValue(value, filled);
            else if (!SetByTheTest.Contains(property.Name))
            {
                throw new InvalidOperationException(
                    $"{typeof(T).Name}.{property.Name} is of a type this test does not fill: fill it, and make the format carry it");
            }
        }
        return value;
    }

    private static EventGroup Group(int seed, IReadOnlyList<string>? storedIn, params string?[] flags) => Filled(new EventGroup
    {
        Source = "", EventName = "", Header = Filled(new EventHeader(), seed),
        ReceivedAtUtc = new DateTime(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc).AddTicks(seed),
        StoredIn = storedIn,
        Events = flags
            .Select((flag, i) => Filled(new IngestedEvent { Id = "", Name = "", TimestampMs = 0 }, seed + 100 * (i + 1)) with { Flag = flag })
            .ToList(),
    }, seed);

    [Fact]
    public void WhatIsWritten_ReadsBackTheSame_EveryFieldOfEveryType()
    {
        var groups = new[]
        {
            Group(1, storedIn: null, "old", null), Group(2, storedIn: ["event", "click_event"]), Group(3, storedIn: [], [null]),
        };

        var read = EventGroupsFormat.Read(EventGroupsFormat.Write(groups));

        Assert.Equal(groups.Length, read.Length);
        for (var i = 0; i < groups.Length; i++)
        {
            // Records compare their properties; the lists are compared item by item.
            Assert.Equal(groups[i] with { Events = [], StoredIn = null }, read[i] with { Events = [], StoredIn = null });
            Assert.Equal(groups[i].Header, read[i].Header);
            Assert.Equal(groups[i].StoredIn, read[i].StoredIn);
            Assert.Equal(groups[i].Events, read[i].Events);
        }
        Assert.Equal(DateTimeKind.Utc, read[0].ReceivedAtUtc.Kind);
        Assert.Null(read[0].Events[1].Flag);
        Assert.Null(read[0].StoredIn);
    }

    [Fact]
    public void NoGroups_ReadBackAsNone()
    {
        Assert.Empty(EventGroupsFormat.Read(EventGroupsFormat.Write([])));
    }

    [Fact]
    public void ALargeMessageThenASmallOne_EachReadsBackAsItself()
    {
        // The writer's buffer is reused per thread: a small message after a large one must not carry its tail.
        var large = Group(1, null, Enumerable.Repeat<string?>(null, 5_000).ToArray());
        var small = Group(2, null, "x");

        var largeBytes = EventGroupsFormat.Write([large]);
        var smallBytes = EventGroupsFormat.Write([small]);

        Assert.Equal(5_000, EventGroupsFormat.Read(largeBytes).Single().Events.Count);
        Assert.Equal(small.Events, EventGroupsFormat.Read(smallBytes).Single().Events);
        Assert.True(smallBytes.Length < largeBytes.Length / 100);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("huge count")]
    [InlineData("negative count")]
    public void DamagedBytes_FailTheRead_WithoutAskingForMemory(string damage)
    {
        var bytes = EventGroupsFormat.Write([Group(1, null, "a", null)]);
        Assert.Equal(1, bytes[0]); // the group count, one byte
        byte[] damaged = damage switch
        {
            "truncated" => bytes[..(bytes.Length / 2)],
            "huge count" => [.. Count(int.MaxValue), .. bytes[1..]],
            _ => [.. Count(-5), .. bytes[1..]],
        };

        var error = Record.Exception(() => EventGroupsFormat.Read(damaged));

        Assert.True(error is InvalidDataException or EndOfStreamException, $"{damage}: {error?.GetType().Name}: {error?.Message}");
    }

    [Fact]
    public void GroupsOfOneCall_ShareTheirHeader_WrittenOnce_AndEventsNamedAsTheirGroup_CarryNoName()
    {
        var header = Filled(new EventHeader(), 1);
        EventGroup Of(string name, EventHeader h) => new()
        {
            Source = "grpc", EventName = name, Header = h,
            Events = [new IngestedEvent { Id = name + "-1", Name = name, TimestampMs = 1 }],
        };
        var shared = new[] { Of("LaunchEvent", header), Of("ClickEvent", header), Of("AppInitEvent", header) };
        var apart = shared.Select(g => g with { Header = header with { } }).ToArray();

        var sharedBytes = EventGroupsFormat.Write(shared);
        var read = EventGroupsFormat.Read(sharedBytes);

        Assert.All(read, g => Assert.Equal(header, g.Header));
        Assert.Equal(shared.SelectMany(g => g.Events), read.SelectMany(g => g.Events));
        Assert.True(sharedBytes.Length < EventGroupsFormat.Write(apart).Length - 2 * 200, "the shared header was written again");
    }

    private static byte[] Count(int count)
    {
        using var bytes = new MemoryStream();
        using (var writer = new BinaryWriter(bytes)) writer.Write7BitEncodedInt(count);
        return bytes.ToArray();
    }
}
