namespace Events.Grains.Sinks;

/// <summary>
/// Rows already in their store's wire format (<see cref="ITableWriter.Encode"/>), and how many. The bytes may be in
/// pooled memory that <paramref name="owner"/> gives back on <see cref="Dispose"/>, once the rows are written or given
/// up: a message's rows are often larger than 85 KB, and arrays that size of their own start gen-2 collections.
/// </summary>
public sealed class EncodedRows(ReadOnlyMemory<byte> bytes, int rows, IDisposable? owner = null) : IDisposable
{
    /// <summary>The encoded rows; not to be read after <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public int Rows { get; } = rows;

    public void Dispose() => owner?.Dispose();
}
