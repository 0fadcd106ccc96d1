namespace Events.Grains.Tables;

/// <summary>Everything a column may read its value from.</summary>
public readonly record struct RowContext(EventGroup Group, IngestedEvent Event)
{
    public EventHeader Header => Group.Header;
}
