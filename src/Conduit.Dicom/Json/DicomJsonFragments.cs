using System.Buffers.Binary;

namespace Conduit.Dicom;

/// <summary>
/// Encapsulated Pixel Data in DICOM JSON. PS3.18 defines no inline form for it (a DICOMweb origin server gives
/// a BulkDataURI), so Conduit's InlineBinary is the value field as PS3.5 §A.4 encodes it without the closing
/// Sequence Delimitation Item: the Basic Offset Table item and each fragment item, each with its 8-byte item
/// header. pydicom writes the same bytes, and they keep the fragments bit-exact.
/// </summary>
internal static class DicomJsonFragments
{
    private const int ItemHeaderLength = 8;

    public static long StreamLength(DicomFragmentSequence fragments)
    {
        var length = ItemHeaderLength + fragments.OffsetTable.Length;
        foreach (var f in fragments.Fragments) length += ItemHeaderLength + f.Length;
        return length;
    }

    public static void CopyItemStream(DicomFragmentSequence fragments, Stream destination)
    {
        CopyItem(fragments.OffsetTable, destination);
        foreach (var f in fragments.Fragments) CopyItem(f, destination);
    }

    private static void CopyItem(DicomBuffer value, Stream destination)
    {
        Span<byte> header = stackalloc byte[ItemHeaderLength];
        WriteItemHeader(header, (uint)value.Length);
        destination.Write(header);
        value.CopyTo(destination);
    }

    private static void WriteItemHeader(Span<byte> header, uint length)
    {
        // (FFFE,E000) Item, little endian, then its 32-bit length (PS3.5 §7.5, §A.4).
        BinaryPrimitives.WriteUInt16LittleEndian(header, 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], 0xE000);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], length);
    }

    /// <summary>
    /// Reads an item stream back into fragments; false unless the bytes are exactly a chain of items (so native
    /// pixel data that happens to start like an item header is never split).
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> bytes, DicomTag tag, DicomVR vr, out DicomFragmentSequence fragments)
    {
        fragments = new DicomFragmentSequence(tag, vr);
        var span = bytes.Span;
        var offset = 0;
        var first = true;
        while (offset < span.Length)
        {
            if (span.Length - offset < ItemHeaderLength
                || BinaryPrimitives.ReadUInt16LittleEndian(span[offset..]) != 0xFFFE
                || BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 2)..]) != 0xE000)
                return false;
            var length = BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + 4)..]);
            offset += ItemHeaderLength;
            if (length > (uint)(span.Length - offset)) return false;
            var value = DicomBuffer.From(bytes.Slice(offset, (int)length));
            if (first) fragments.OffsetTable = value;
            else fragments.Fragments.Add(value);
            first = false;
            offset += (int)length;
        }
        return !first;
    }
}
