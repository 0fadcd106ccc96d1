namespace Events.Grains;

/// <summary>
/// The batching writer of one table (grain key = table name). It is fed by the
/// table's streams; <see cref="FlushAsync"/> lets operators and shutdown force a flush.
/// </summary>
[Alias("events.ITableSinkGrain")]
public interface ITableSinkGrain : IGrainWithStringKey
{
    [Alias("Flush")]
    Task FlushAsync();
}
