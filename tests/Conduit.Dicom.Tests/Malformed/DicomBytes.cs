using System.Buffers.Binary;
using System.Text;

namespace Conduit.Dicom.Tests.Malformed;

/// <summary>Hand-built data set bytes, element by element, so that each defect can be placed exactly.</summary>
internal sealed class DicomBytes(bool bigEndian = false)
{
    public const uint Undefined = 0xFFFFFFFF;
    private readonly MemoryStream _bytes = new();

    public long Position => _bytes.Position;

    private DicomBytes U16(ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v);
        else BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        _bytes.Write(b);
        return this;
    }

    private DicomBytes U32(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v);
        else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        _bytes.Write(b);
        return this;
    }

    public DicomBytes Tag(DicomTag tag) => U16(tag.Group).U16(tag.Element);

    /// <summary>An explicit VR header: 16-bit length, or 2 reserved bytes and a 32-bit length for the long VRs (PS3.5 §7.1.2).</summary>
    public DicomBytes Explicit(DicomTag tag, string vr, uint length)
    {
        Tag(tag).Raw(Encoding.ASCII.GetBytes(vr));
        return DicomVRInfo.TryParse(vr, out var v) && v.HasLongLength ? U16(0).U32(length) : U16((ushort)length);
    }

    /// <summary>An explicit VR element with its value.</summary>
    public DicomBytes Explicit(DicomTag tag, string vr, string value) => Explicit(tag, vr, (uint)value.Length).Text(value);

    /// <summary>An implicit VR header: tag and 32-bit length (PS3.5 §7.1.3).</summary>
    public DicomBytes Implicit(DicomTag tag, uint length) => Tag(tag).U32(length);

    public DicomBytes Implicit(DicomTag tag, string value) => Implicit(tag, (uint)value.Length).Text(value);

    public DicomBytes Item(uint length = Undefined) => Tag(DicomTag.Item).U32(length);
    public DicomBytes ItemEnd() => Tag(DicomTag.ItemDelimitationItem).U32(0);
    public DicomBytes SequenceEnd() => Tag(DicomTag.SequenceDelimitationItem).U32(0);

    public DicomBytes Text(string s) => Raw(Encoding.ASCII.GetBytes(s));

    public DicomBytes Raw(ReadOnlySpan<byte> bytes)
    {
        _bytes.Write(bytes);
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>A Part 10 file: preamble, 'DICM', a File Meta group naming <paramref name="syntax"/>, then the body.</summary>
    public static byte[] Part10(DicomTransferSyntax syntax, byte[] body)
    {
        var ms = new MemoryStream();
        DicomWriter.WriteFileMeta(ms, DicomFile.CreateFileMeta("1.2.840.10008.5.1.4.1.1.7", "1.2.3.4", syntax));
        ms.Write(body);
        return ms.ToArray();
    }

    /// <summary>Where the body of a <see cref="Part10"/> file starts.</summary>
    public static long BodyOffset(DicomTransferSyntax syntax) => Part10(syntax, []).Length;
}

/// <summary>A stream that cannot seek or tell its length, like a network connection or an inflater.</summary>
internal sealed class ForwardOnlyStream(byte[] bytes) : Stream
{
    private readonly MemoryStream _inner = new(bytes);
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
