namespace Events.Grains;

/// <summary>Events of one type from one client batch, with the batch's header.</summary>
[GenerateSerializer, Immutable, Alias("events.EventGroup")]
public sealed record EventGroup
{
    /// <summary>Where the events came in, e.g. <c>grpc</c>; routing rules match on it.</summary>
    [Id(0)] public required string Source { get; init; }

    [Id(1)] public required string EventName { get; init; }
    [Id(2)] public required EventHeader Header { get; init; }
    [Id(3)] public required IReadOnlyList<IngestedEvent> Events { get; init; }

    /// <summary>When the front end accepted the batch (UTC); rows use it as their insert time.</summary>
    [Id(4)] public DateTime ReceivedAtUtc { get; init; }

    /// <summary>
    /// Set only on a group of flagged events sent to <c>error_event</c>: the tables the events themselves were
    /// stored in (the rows' <c>target_table</c>).
    /// </summary>
    [Id(5)] public IReadOnlyList<string>? StoredIn { get; init; }
}
