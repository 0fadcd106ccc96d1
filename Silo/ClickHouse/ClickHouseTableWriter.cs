using System.Collections.Concurrent;
using System.IO.Compression;
using ClickHouse.Driver;
using CommunityToolkit.HighPerformance.Buffers;
using Events.Grains.Sinks;
using Events.Grains.Tables;
using Microsoft.Extensions.Options;

namespace Events.Silo.ClickHouse;

/// <summary>
/// Writes a generation of rows as one RowBinary insert. The sink encodes each message's rows when it arrives
/// (<see cref="Encode"/>, <see cref="RowBinaryColumns"/>), so waiting rows are bytes, not objects, and an insert only
/// sends them. With <see cref="ClickHouseOptions.Compression"/> each message's rows are gzipped then too: they wait in
/// a fraction of the memory, and an insert sends the gzip members one after another, which a gzip reader takes as one
/// body (RFC 1952, 2.2).
/// </summary>
internal sealed class ClickHouseTableWriter(ClickHouseSchema schema, ClickHouseClient client, IOptions<ClickHouseOptions> options)
    : ITableWriter
{
    private readonly ConcurrentDictionary<string, (string Sql, Action<RowBinaryWriter, object[]> Write)> _inserts = new(StringComparer.Ordinal);

    // One per thread, for the message being compressed: only its copy out waits.
    [ThreadStatic] private static MemoryStream? t_gzipped;

    public async Task WriteAsync(TableSchema table, IReadOnlyList<object[]> rows, CancellationToken cancellationToken)
    {
        EncodedRows encoded;
        try
        {
            encoded = EncodeOrThrow(table, rows);
        }
        catch (RowBinaryValueException value)
        {
            throw new RowsRejectedException($"a value cannot be written to its column: {value.Message}", value);
        }
        using (encoded)
        {
            await WriteEncodedAsync(table, [encoded], cancellationToken);
        }
    }

    public EncodedRows? Encode(TableSchema table, IEnumerable<object[]> rows)
    {
        try
        {
            return EncodeOrThrow(table, rows);
        }
        catch (RowBinaryValueException)
        {
            return null;
        }
    }

    public async Task WriteEncodedAsync(TableSchema table, IReadOnlyList<EncodedRows> parts, CancellationToken cancellationToken)
    {
        if (parts.Sum(p => p.Rows) == 0) return;
        await schema.EnsureAsync(table);
        var compress = options.Value.Compression;
        try
        {
            using var response = await client.PostStreamAsync(Insert(table).Sql,
                (body, token) => SendAsync(body, parts, token), compress, cancellationToken);
        }
        catch (Exception ex) when (ClickHouseErrors.Classify(ex) is RowsRejectedException refused)
        {
            throw refused;
        }
    }

    private EncodedRows EncodeOrThrow(TableSchema table, IEnumerable<object[]> rows)
    {
        var write = Insert(table).Write;
        var writer = new RowBinaryWriter();
        var count = 0;
        try
        {
            foreach (var row in rows)
            {
                write(writer, row);
                count++;
            }
        }
        catch
        {
            writer.Dispose();
            throw;
        }
        if (!options.Value.Compression) return new EncodedRows(writer.Written, count, owner: writer);
        using (writer) return Gzip(writer.Written.Span, count);
    }

    private static EncodedRows Gzip(ReadOnlySpan<byte> rows, int count)
    {
        var scratch = t_gzipped ??= new MemoryStream(64 * 1024);
        scratch.SetLength(0);
        using (var gzip = new GZipStream(scratch, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(rows);
        // Copied out to pooled memory sized for it (the pool's arrays come in powers of two, so at most twice), which is
        // what waits: a buffer sized for the rows would hold them uncompressed again.
        var compressed = MemoryOwner<byte>.Allocate((int)scratch.Length);
        scratch.GetBuffer().AsSpan(0, compressed.Length).CopyTo(compressed.Span);
        if (scratch.Capacity > 4 * 1024 * 1024) t_gzipped = null; // an unusually large message does not keep its buffer
        return new EncodedRows(compressed.Memory, count, owner: compressed);
    }

    // optimize_on_insert = 0: ClickHouse would otherwise collapse copies inside each insert as it writes it, which took
    // half of an insert's time; copies collapse on merge and with FINAL anyway (BENCHMARKS.md, "Cheaper inserts and
    // merges").
    private (string Sql, Action<RowBinaryWriter, object[]> Write) Insert(TableSchema table) =>
        _inserts.GetOrAdd(table.Name, _ => (
            $"INSERT INTO `{schema.Database}`.`{table.Name}` ({string.Join(", ", table.ColumnNames.Select(c => $"`{c}`"))}) " +
            "SETTINGS optimize_on_insert = 0 FORMAT RowBinary",
            RowBinaryColumns.RowWriter(table)));

    // Each part is already in the body's encoding (gzip members when compressing): the insert only sends the bytes.
    private static async Task SendAsync(Stream body, IReadOnlyList<EncodedRows> parts, CancellationToken cancellationToken)
    {
        foreach (var part in parts) await body.WriteAsync(part.Bytes, cancellationToken);
    }
}
