using Events.Grains.Tables;

namespace Events.Grains.Sinks;

/// <summary>Writes rows to a table in one insert; throws when they are not durably stored.</summary>
public interface ITableWriter
{
    Task WriteAsync(TableSchema table, IReadOnlyList<object[]> rows, CancellationToken cancellationToken);

    /// <summary>
    /// Encodes rows ahead of their insert, so the sink can keep a waiting message as bytes and its flush only sends
    /// them. Null when the store takes rows only as objects, or when a value cannot be encoded: then the insert of
    /// the objects refuses that row on its own. A row's array may be refilled with the next row: read it first.
    /// </summary>
    EncodedRows? Encode(TableSchema table, IEnumerable<object[]> rows) => null;

    /// <summary>Writes rows encoded by <see cref="Encode"/> for this table, in one insert.</summary>
    Task WriteEncodedAsync(TableSchema table, IReadOnlyList<EncodedRows> parts, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"the store of table {table.Name} takes rows only as objects");
}
