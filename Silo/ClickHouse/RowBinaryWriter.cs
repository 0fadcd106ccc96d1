using System.Text;
using CommunityToolkit.HighPerformance.Buffers;

namespace Events.Silo.ClickHouse;

/// <summary>Encodes values into a pooled, growing buffer, which <see cref="Dispose"/> gives back.</summary>
internal sealed class RowBinaryWriter : IDisposable
{
    // The shared pool: it keeps a few dozen arrays per size, fewer than a generation holds at peak, and the rest are
    // collected. A pool of its own that kept them all held 100-150 MB more while ClickHouse was down (BENCHMARKS.md).
    private readonly ArrayPoolBufferWriter<byte> _buffer = new(64 * 1024);

    /// <summary>Room for a fixed-size value: the next <paramref name="size"/> bytes.</summary>
    public Span<byte> Fixed(int size)
    {
        var span = _buffer.GetSpan(size)[..size];
        _buffer.Advance(size);
        return span;
    }

    /// <summary>A string: its UTF-8 length as a LEB128 varint, then the bytes.</summary>
    public void String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var span = _buffer.GetSpan(10 + length);
        var used = 0;
        var remaining = (ulong)length;
        do
        {
            var next = (byte)(remaining & 0x7F);
            remaining >>= 7;
            span[used++] = remaining == 0 ? next : (byte)(next | 0x80);
        }
        while (remaining != 0);
        used += Encoding.UTF8.GetBytes(value, span[used..]);
        _buffer.Advance(used);
    }

    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    public void Dispose() => _buffer.Dispose();
}
