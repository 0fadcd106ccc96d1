using System.Buffers;
using System.Text;

namespace Events.Silo.ClickHouse;

/// <summary>Encodes values into a pooled, growing buffer; <see cref="ToArray"/> hands the bytes over.</summary>
internal sealed class RowBinaryWriter : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _used;

    /// <summary>Room for a fixed-size value: the next <paramref name="size"/> bytes.</summary>
    public Span<byte> Fixed(int size)
    {
        Reserve(size);
        var span = _buffer.AsSpan(_used, size);
        _used += size;
        return span;
    }

    /// <summary>A string: its UTF-8 length as a LEB128 varint, then the bytes.</summary>
    public void String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Reserve(10 + length);
        var remaining = (ulong)length;
        do
        {
            var next = (byte)(remaining & 0x7F);
            remaining >>= 7;
            _buffer[_used++] = remaining == 0 ? next : (byte)(next | 0x80);
        }
        while (remaining != 0);
        _used += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_used));
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _used).ToArray();

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void Reserve(int size)
    {
        if (_used + size <= _buffer.Length) return;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _used + size));
        _buffer.AsSpan(0, _used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
