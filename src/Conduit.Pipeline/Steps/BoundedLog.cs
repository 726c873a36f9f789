using System.Text;

namespace Conduit.Pipeline.Steps;

/// <summary>
/// Keeps the last <c>capacity</c> bytes of a step's output: a chatty step cannot fill memory or the database, and the
/// end of a log is where the reason for a failure is. Thread-safe (stdout and stderr append concurrently).
/// </summary>
public sealed class BoundedLog(int capacity)
{
    /// <summary>The default: the last 64 KiB.</summary>
    public const int DefaultCapacity = 64 * 1024;

    private readonly byte[] _ring = new byte[capacity];
    private readonly Lock _gate = new();
    private long _written;

    public long TotalBytes
    {
        get { lock (_gate) return _written; }
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            var total = bytes.Length;
            if (bytes.Length > _ring.Length)
            {
                bytes = bytes[^_ring.Length..];
            }
            var start = (int)((_written + total - bytes.Length) % _ring.Length);
            var first = Math.Min(bytes.Length, _ring.Length - start);
            bytes[..first].CopyTo(_ring.AsSpan(start));
            bytes[first..].CopyTo(_ring);
            _written += total;
        }
    }

    public void AppendLine(string text) => Append(Encoding.UTF8.GetBytes(text + "\n"));

    /// <summary>The kept tail as text, with a note of how much was dropped before it.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            if (_written <= _ring.Length)
            {
                return Encoding.UTF8.GetString(_ring, 0, (int)_written);
            }
            var start = (int)(_written % _ring.Length);
            var tail = new byte[_ring.Length];
            _ring.AsSpan(start).CopyTo(tail);
            _ring.AsSpan(0, start).CopyTo(tail.AsSpan(_ring.Length - start));
            // The cut may fall inside a UTF-8 sequence: skip continuation bytes so the text starts cleanly.
            var skip = 0;
            while (skip < tail.Length && (tail[skip] & 0xC0) == 0x80)
            {
                skip++;
            }
            return $"[… {_written - _ring.Length + skip} earlier bytes dropped]\n" + Encoding.UTF8.GetString(tail, skip, tail.Length - skip);
        }
    }
}
