namespace Events.Grains.Workers;

/// <summary>
/// The events of a group that the front door stored with a correction or a flag (<see cref="IngestedEvent.Flag"/>),
/// as a group for <c>error_event</c>. The worker publishes it together with the group's own tables, so the
/// SUCCESS a client gets covers the error rows too.
/// </summary>
internal static class FlaggedEvents
{
    /// <summary>The group's flagged events, marked with the tables they are stored in; null when none is flagged.</summary>
    public static EventGroup? ErrorGroup(EventGroup group, IReadOnlyList<string> storedIn)
    {
        List<IngestedEvent>? flagged = null;
        foreach (var evt in group.Events)
        {
            if (evt.Flag is not null)
            {
                (flagged ??= []).Add(evt);
            }
        }
        return flagged is null ? null : group with { Events = flagged, StoredIn = storedIn };
    }
}
