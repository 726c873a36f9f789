using System.Buffers;
using System.Buffers.Binary;

namespace Conduit.Dicom.IO;

/// <summary>
/// A forward-only buffered reader over a stream that knows its absolute position. Lengths read from the data are
/// checked against what is left before anything is allocated, so a hostile length costs nothing.
/// </summary>
internal sealed class ByteSource : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private byte[] _buffer;
    private int _pos;
    private int _end;
    private long _bufferStart;
    private bool _eof;

    /// <param name="origin">Position of the stream's first byte in the data it was cut from (for deferred sequences), so offsets in errors stay true.</param>
    public ByteSource(Stream stream, bool ownsStream, string? filePath = null, long origin = 0)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        FilePath = filePath;
        if (stream.CanSeek)
        {
            _bufferStart = origin + stream.Position;
            Length = origin + stream.Length;
        }
        else
        {
            Length = -1;
        }
    }

    /// <summary>The file the bytes come from, untransformed, so that large values can be left there; null otherwise.</summary>
    public string? FilePath { get; }

    /// <summary>Total length, or -1 when unknown (network or inflated streams).</summary>
    public long Length { get; }

    public long Position => _bufferStart + _pos;

    /// <summary>Bytes left before the end, or long.MaxValue when the end is unknown.</summary>
    public long Remaining => Length < 0 ? long.MaxValue : Length - Position;

    public int Buffered => _end - _pos;

    /// <summary>Makes at least <paramref name="count"/> bytes (≤ 64 KiB) available; false at end of data.</summary>
    public bool TryEnsure(int count)
    {
        if (_end - _pos >= count) return true;
        return Fill(count);
    }

    private bool Fill(int count)
    {
        if (_pos > 0)
        {
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, _end - _pos);
            _end -= _pos;
            _bufferStart += _pos;
            _pos = 0;
        }
        while (_end < count && !_eof)
        {
            var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0) _eof = true;
            _end += n;
        }
        return _end - _pos >= count;
    }

    public ReadOnlySpan<byte> Peek(int count) => _buffer.AsSpan(_pos, count);

    public void Advance(int count) => _pos += count;

    public ushort ReadUInt16(bool bigEndian)
    {
        var s = _buffer.AsSpan(_pos, 2);
        _pos += 2;
        return bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);
    }

    public uint ReadUInt32(bool bigEndian)
    {
        var s = _buffer.AsSpan(_pos, 4);
        _pos += 4;
        return bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
    }

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes into a new array. The caller has checked the count against
    /// <see cref="Remaining"/>; when the end is unknown the array grows as data arrives, never to the claimed size up front.
    /// </summary>
    public byte[]? TryReadArray(long count)
    {
        // Values that fit the buffer go through it, so that the buffer is refilled in large reads, not after every value.
        if (count <= _end - _pos || (count <= _buffer.Length && TryEnsure((int)count)))
        {
            var small = _buffer.AsSpan(_pos, (int)count).ToArray();
            _pos += (int)count;
            return small;
        }
        if (count > Array.MaxLength) return null;
        var size = Length >= 0 ? (int)count : (int)Math.Min(count, 1 << 20);
        var result = new byte[size];
        var got = _end - _pos;
        _buffer.AsSpan(_pos, got).CopyTo(result);
        var nextStreamByte = _bufferStart + _end;
        while (got < count)
        {
            if (got == result.Length) Array.Resize(ref result, (int)Math.Min(count, (long)result.Length * 2));
            var n = _stream.Read(result, got, result.Length - got);
            if (n == 0)
            {
                _eof = true;
                return null;
            }
            got += n;
            nextStreamByte += n;
        }
        _bufferStart = nextStreamByte;
        _pos = _end = 0;
        return result;
    }

    /// <summary>Skips bytes (seeking when possible); false when the data ends first.</summary>
    public bool Skip(long count)
    {
        var buffered = _end - _pos;
        if (count <= buffered)
        {
            _pos += (int)count;
            return true;
        }
        count -= buffered;
        if (_stream.CanSeek)
        {
            var target = _stream.Position + count;
            if (target > _stream.Length) return false;
            _stream.Position = target;
            _bufferStart = target;
            _pos = _end = 0;
            return true;
        }
        _bufferStart += _end;
        _pos = _end = 0;
        while (count > 0)
        {
            var n = _stream.Read(_buffer, 0, (int)Math.Min(count, _buffer.Length));
            if (n == 0) return false;
            count -= n;
            _bufferStart += n;
        }
        return true;
    }

    /// <summary>The rest of the data as a stream: what is buffered, then the underlying stream (for deflated data sets).</summary>
    public Stream RemainderStream()
    {
        var head = new MemoryStream(_buffer, _pos, _end - _pos, writable: false);
        return new ConcatenatedStream(head, _stream);
    }

    public void Dispose()
    {
        var b = _buffer;
        _buffer = [];
        if (b.Length > 0) ArrayPool<byte>.Shared.Return(b);
        if (_ownsStream) _stream.Dispose();
    }
}
