using System.Buffers;

namespace Conduit.Dicom;

/// <summary>A value left in its file: offset and length, read when asked for. Big-endian files are swapped on access.</summary>
public sealed class FileRangeBuffer : DicomBuffer
{
    private readonly string _path;
    private readonly long _offset;
    private readonly int _swapUnit;
    private ReadOnlyMemory<byte>? _loaded;

    public FileRangeBuffer(string path, long offset, long length, int swapUnit = 0)
    {
        _path = path;
        _offset = offset;
        Length = length;
        _swapUnit = swapUnit;
    }

    public override long Length { get; }
    public override bool IsLoaded => _loaded.HasValue;
    public string Path => _path;
    public long Offset => _offset;

    public override ReadOnlyMemory<byte> Memory
    {
        get
        {
            if (_loaded is { } m) return m;
            if (Length > Array.MaxLength) throw new InvalidOperationException($"Value of {Length} bytes is too large to load; stream it with CopyTo.");
            var bytes = new byte[Length];
            using (var fs = OpenAtOffset())
                fs.ReadExactly(bytes);
            ByteSwap.InPlace(bytes, _swapUnit);
            _loaded = bytes;
            return bytes;
        }
    }

    public override void CopyTo(Stream destination)
    {
        if (_loaded is { } m)
        {
            destination.Write(m.Span);
            return;
        }
        var chunk = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            using var fs = OpenAtOffset();
            var remaining = Length;
            while (remaining > 0)
            {
                // Keep chunks a multiple of 8 so swap units never straddle two chunks.
                var n = (int)Math.Min(remaining, chunk.Length);
                fs.ReadExactly(chunk, 0, n);
                ByteSwap.InPlace(chunk.AsSpan(0, n), _swapUnit);
                destination.Write(chunk, 0, n);
                remaining -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private FileStream OpenAtOffset()
    {
        var fs = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        if (fs.Length < _offset + Length)
        {
            fs.Dispose();
            throw new DicomReadException($"file shrank: value of {Length} bytes no longer fits in {_path}", _offset);
        }
        fs.Position = _offset;
        return fs;
    }
}
