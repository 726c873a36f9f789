using System.Text.Json;

namespace Conduit.Dicom;

/// <summary>
/// A write-only stream that turns what is copied into it into one base64 JSON string, segment by segment, so a
/// value streamed from its file is never held whole in memory. Segments are cut at multiples of 3 bytes so that
/// no padding appears inside the string.
/// </summary>
internal sealed class Base64SegmentStream(Utf8JsonWriter writer, int flushThreshold) : Stream
{
    private readonly byte[] _carry = new byte[3];
    private int _carried;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_carried > 0)
        {
            var take = Math.Min(3 - _carried, buffer.Length);
            buffer[..take].CopyTo(_carry.AsSpan(_carried));
            _carried += take;
            buffer = buffer[take..];
            if (_carried < 3) return;
            Segment(_carry, isFinal: false);
            _carried = 0;
        }
        var usable = buffer.Length - buffer.Length % 3;
        if (usable > 0) Segment(buffer[..usable], isFinal: false);
        buffer[usable..].CopyTo(_carry);
        _carried = buffer.Length - usable;
    }

    /// <summary>Ends the string (an empty one when nothing was written).</summary>
    public void Complete()
    {
        Segment(_carry.AsSpan(0, _carried), isFinal: true);
        _carried = 0;
    }

    private void Segment(ReadOnlySpan<byte> bytes, bool isFinal)
    {
        writer.WriteBase64StringSegment(bytes, isFinal);
        if (writer.BytesPending > flushThreshold) writer.Flush();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public override void Flush() { }
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
