namespace Events.Grains.Tables;

/// <summary>Everything a column may read its value from.</summary>
public readonly record struct RowContext(EventGroup Group, IngestedEvent Event)
{
    public EventHeader Header => Group.Header;

    /// <summary>Set only for <c>error_event</c> rows: why the row's own table refused it.</summary>
    public Rejection? Rejection { get; init; }
}

/// <summary>A row its table refused for good: which table, why, after how many attempts, and when.</summary>
public sealed record Rejection(string Table, string Reason, int Attempts, DateTime AtUtc);
