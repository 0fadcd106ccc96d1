using System.Collections.Concurrent;
using System.IO.Compression;
using ClickHouse.Driver;
using Events.Grains.Sinks;
using Events.Grains.Tables;
using Microsoft.Extensions.Options;

namespace Events.Silo.ClickHouse;

/// <summary>
/// Writes a generation of rows as one RowBinary insert. The sink encodes each message's rows when it arrives
/// (<see cref="Encode"/>, <see cref="RowBinaryColumns"/>), so waiting rows are bytes, not objects, and an insert only
/// sends them.
/// </summary>
internal sealed class ClickHouseTableWriter(ClickHouseSchema schema, ClickHouseClient client, IOptions<ClickHouseOptions> options)
    : ITableWriter
{
    private readonly ConcurrentDictionary<string, (string Sql, Action<RowBinaryWriter, object[]> Write)> _inserts = new(StringComparer.Ordinal);

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
                (body, token) => SendAsync(body, parts, compress, token), compress, cancellationToken);
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
        try
        {
            var count = 0;
            foreach (var row in rows)
            {
                write(writer, row);
                count++;
            }
            return new EncodedRows(writer.Written, count, owner: writer);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    // optimize_on_insert = 0: ClickHouse would otherwise collapse copies inside each insert as it writes it, which took
    // half of an insert's time; copies collapse on merge and with FINAL anyway (BENCHMARKS.md, "Cheaper inserts and
    // merges").
    private (string Sql, Action<RowBinaryWriter, object[]> Write) Insert(TableSchema table) =>
        _inserts.GetOrAdd(table.Name, _ => (
            $"INSERT INTO `{schema.Database}`.`{table.Name}` ({string.Join(", ", table.ColumnNames.Select(c => $"`{c}`"))}) " +
            "SETTINGS optimize_on_insert = 0 FORMAT RowBinary",
            RowBinaryColumns.RowWriter(table)));

    private static async Task SendAsync(Stream body, IReadOnlyList<EncodedRows> parts, bool compress, CancellationToken cancellationToken)
    {
        if (!compress)
        {
            foreach (var part in parts) await body.WriteAsync(part.Bytes, cancellationToken);
            return;
        }
        await using var gzip = new GZipStream(body, CompressionLevel.Fastest, leaveOpen: true);
        foreach (var part in parts) await gzip.WriteAsync(part.Bytes, cancellationToken);
    }
}
