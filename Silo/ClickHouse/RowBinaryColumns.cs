using System.Buffers.Binary;
using Events.Grains.Tables;

namespace Events.Silo.ClickHouse;

/// <summary>
/// How each ClickHouse column type our tables use is written in the RowBinary format
/// (https://clickhouse.com/docs/interfaces/formats/RowBinary), as data: one encoder per type name. A table with a type
/// not listed here fails at its first insert, naming the column, rather than writing bytes ClickHouse would misread.
/// </summary>
internal static class RowBinaryColumns
{
    private delegate void Encode(RowBinaryWriter writer, object value);

    private static readonly Dictionary<string, Encode> ByType = new(StringComparer.Ordinal)
    {
        ["String"] = (w, v) => w.String((string)v),
        ["LowCardinality(String)"] = (w, v) => w.String((string)v), // sent as a plain String; the server builds the dictionary
        ["Int64"] = (w, v) => BinaryPrimitives.WriteInt64LittleEndian(w.Fixed(8), (long)v),
        ["UInt16"] = (w, v) => BinaryPrimitives.WriteUInt16LittleEndian(w.Fixed(2), (ushort)v),
        ["Float64"] = (w, v) => BinaryPrimitives.WriteDoubleLittleEndian(w.Fixed(8), (double)v),
        ["Bool"] = (w, v) => w.Fixed(1)[0] = (bool)v ? (byte)1 : (byte)0,
        // Milliseconds since the epoch; our DateTimes are UTC (an unspecified kind is read as UTC).
        ["DateTime64(3, 'UTC')"] = (w, v) => BinaryPrimitives.WriteInt64LittleEndian(w.Fixed(8),
            (((DateTime)v).Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond),
        // A 64-bit integer scaled by 10^4; the columns round to four places and keep 14 integer digits.
        ["Decimal(18, 4)"] = (w, v) => BinaryPrimitives.WriteInt64LittleEndian(w.Fixed(8), decimal.ToInt64((decimal)v * 10_000m)),
    };

    /// <summary>Writes one row; a value of the wrong type for its column throws <see cref="RowBinaryValueException"/>.</summary>
    public static Action<RowBinaryWriter, object[]> RowWriter(TableSchema table)
    {
        var encoders = table.Columns.Select(c => ByType.TryGetValue(c.Type, out var encode)
            ? encode
            : throw new NotSupportedException($"column {table.Name}.{c.Name}: type {c.Type} has no RowBinary encoder (RowBinaryColumns)")).ToArray();
        var names = table.ColumnNames;
        return (writer, row) =>
        {
            for (var i = 0; i < encoders.Length; i++)
            {
                try
                {
                    encoders[i](writer, row[i]);
                }
                catch (Exception ex) when (ex is InvalidCastException or NullReferenceException or OverflowException)
                {
                    throw new RowBinaryValueException($"{names[i]}: {ex.Message}", ex);
                }
            }
        };
    }
}

/// <summary>A value that cannot be written to its column (the row is refused, not retried).</summary>
internal sealed class RowBinaryValueException(string message, Exception inner) : Exception(message, inner);
