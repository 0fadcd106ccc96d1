using Events.Grains.Tables;

namespace Events.Grains.Sinks;

/// <summary>Writes rows to a table in one insert; throws when they are not durably stored.</summary>
public interface ITableWriter
{
    Task WriteAsync(TableSchema table, IReadOnlyList<object[]> rows, CancellationToken cancellationToken);
}
