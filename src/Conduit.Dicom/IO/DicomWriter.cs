using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Conduit.Dicom;

/// <summary>
/// Writes data sets in any of the uncompressed syntaxes (and deflate), and Part 10 files with a File Meta group.
/// Items keep their encoding as read (undefined lengths, VRs, odd lengths), so a well-formed file written back in
/// its own syntax is byte-identical; sequence and item lengths are computed, never trusted.
/// </summary>
public static class DicomWriter
{
    private const uint UndefinedLength = 0xFFFFFFFF;

    /// <summary>Writes the elements of a data set (no File Meta) in the given syntax.</summary>
    public static void WriteDataset(Stream stream, DicomDataset dataset, DicomTransferSyntax syntax)
    {
        if (syntax.IsDeflated)
        {
            using var deflate = new DeflateStream(stream, CompressionLevel.Optimal, leaveOpen: true);
            var inner = new BufferedStream(deflate, 64 * 1024);
            new DatasetEncoder(inner, DicomTransferSyntax.ExplicitVRLittleEndian).WriteDataset(dataset);
            inner.Flush();
            return;
        }
        // BufferedStream would close the caller's stream when disposed: flush it instead.
        var buffered = new BufferedStream(stream, 64 * 1024);
        new DatasetEncoder(buffered, syntax).WriteDataset(dataset);
        buffered.Flush();
    }

    /// <summary>Writes the File Meta group (explicit VR little endian, group length computed) after preamble and 'DICM'.</summary>
    public static void WriteFileMeta(Stream stream, DicomDataset meta, byte[]? preamble = null)
    {
        Span<byte> header = stackalloc byte[132];
        header.Clear();
        preamble?.AsSpan(0, Math.Min(128, preamble.Length)).CopyTo(header);
        "DICM"u8.CopyTo(header[128..]);
        stream.Write(header);
        var withoutLength = new DicomDataset();
        foreach (var item in meta)
            if (item.Tag != FileMetaInformationGroupLength) withoutLength.Add(item);
        var encoder = new DatasetEncoder(Stream.Null, DicomTransferSyntax.ExplicitVRLittleEndian);
        var groupLength = (uint)encoder.DatasetLength(withoutLength);
        withoutLength.AddOrUpdate(FileMetaInformationGroupLength, DicomVR.UL, groupLength);
        // A memory stream takes the group's dozen small writes as they come (the C-STORE SCP writes every received
        // instance's File Meta into one); a file gets them through a buffer.
        if (stream is MemoryStream)
        {
            new DatasetEncoder(stream, DicomTransferSyntax.ExplicitVRLittleEndian).WriteDataset(withoutLength);
            return;
        }
        var buffered = new BufferedStream(stream, 4096);
        new DatasetEncoder(buffered, DicomTransferSyntax.ExplicitVRLittleEndian).WriteDataset(withoutLength);
        buffered.Flush();
    }

    /// <summary>Bytes the elements of a data set take in a syntax: the length a defined-length item header carries.</summary>
    public static long EncodedLength(DicomDataset dataset, DicomTransferSyntax syntax) => LengthEncoder(syntax).DatasetLength(dataset);

    /// <summary>Bytes the items of a sequence take in a syntax: the length a defined-length sequence header carries.</summary>
    public static long EncodedLength(DicomSequence sequence, DicomTransferSyntax syntax) => LengthEncoder(syntax).SequenceContentLength(sequence);

    private static DatasetEncoder LengthEncoder(DicomTransferSyntax syntax) =>
        new(Stream.Null, syntax.IsDeflated ? DicomTransferSyntax.ExplicitVRLittleEndian : syntax);

    internal static readonly DicomTag FileMetaInformationGroupLength = new(0x00020000);

    /// <summary>Encodes one data set recursively; also computes encoded lengths for defined-length sequences and items.</summary>
    private sealed class DatasetEncoder(Stream output, DicomTransferSyntax syntax)
    {
        private readonly bool _be = syntax.IsBigEndian;
        private readonly bool _explicit = syntax.IsExplicitVR;
        private readonly byte[] _header = new byte[12];

        public void WriteDataset(DicomDataset ds)
        {
            foreach (var item in ds) WriteItem(item);
        }

        private void WriteItem(DicomItem item)
        {
            switch (item)
            {
                case DicomElement e:
                    var vr = EffectiveVR(e.VR, e.Length);
                    WriteHeader(e.Tag, vr, (uint)e.Length);
                    WriteValue(e.Buffer, _be ? vr.SwapUnit : 0);
                    break;
                case DicomSequence s:
                    WriteSequence(s);
                    break;
                case DicomFragmentSequence f:
                    WriteHeader(f.Tag, f.VR, UndefinedLength);
                    WriteItemHeader(DicomTag.Item, (uint)f.OffsetTable.Length);
                    WriteValue(f.OffsetTable, 0);
                    foreach (var fragment in f.Fragments)
                    {
                        WriteItemHeader(DicomTag.Item, (uint)fragment.Length);
                        WriteValue(fragment, 0);
                    }
                    WriteItemHeader(DicomTag.SequenceDelimitationItem, 0);
                    break;
            }
        }

        private void WriteSequence(DicomSequence s)
        {
            // CP-246: a sequence read from UN of undefined length keeps that form, items in implicit VR little endian.
            var asUN = s.VR == DicomVR.UN && _explicit;
            var itemEncoder = asUN ? new DatasetEncoder(output, DicomTransferSyntax.ImplicitVRLittleEndian) : this;
            var length = s.UndefinedLength ? UndefinedLength : (uint)itemEncoder.SequenceContentLength(s);
            WriteHeader(s.Tag, asUN ? DicomVR.UN : DicomVR.SQ, length);
            foreach (var item in s.Items)
            {
                itemEncoder.WriteItemHeader(DicomTag.Item, item.UndefinedLength ? UndefinedLength : (uint)itemEncoder.DatasetLength(item));
                itemEncoder.WriteDataset(item);
                if (item.UndefinedLength) itemEncoder.WriteItemHeader(DicomTag.ItemDelimitationItem, 0);
            }
            if (length == UndefinedLength) itemEncoder.WriteItemHeader(DicomTag.SequenceDelimitationItem, 0);
        }

        /// <summary>A value too long for a 16-bit length field is written as UN (PS3.5 §6.2.2).</summary>
        private DicomVR EffectiveVR(DicomVR vr, long length) =>
            _explicit && !vr.HasLongLength && length > 0xFFFF ? DicomVR.UN : vr;

        public long DatasetLength(DicomDataset ds)
        {
            long total = 0;
            foreach (var item in ds) total += ItemLength(item);
            return total;
        }

        public long SequenceContentLength(DicomSequence s)
        {
            long total = 0;
            foreach (var item in s.Items)
                total += 8 + DatasetLength(item) + (item.UndefinedLength ? 8 : 0);
            return total;
        }

        private long HeaderLength(DicomVR vr) => !_explicit ? 8 : vr.HasLongLength ? 12 : 8;

        private long ItemLength(DicomItem item)
        {
            switch (item)
            {
                case DicomElement e:
                    return HeaderLength(EffectiveVR(e.VR, e.Length)) + e.Length;
                case DicomSequence s:
                    var asUN = s.VR == DicomVR.UN && _explicit;
                    var enc = asUN ? new DatasetEncoder(Stream.Null, DicomTransferSyntax.ImplicitVRLittleEndian) : this;
                    return HeaderLength(DicomVR.SQ) + enc.SequenceContentLength(s) + (s.UndefinedLength ? 8 : 0);
                case DicomFragmentSequence f:
                    return HeaderLength(f.VR) + 8 + f.OffsetTable.Length + f.Fragments.Sum(x => 8 + x.Length) + 8;
                default:
                    return 0;
            }
        }

        private void WriteHeader(DicomTag tag, DicomVR vr, uint length)
        {
            var h = _header.AsSpan();
            WriteTag(h, tag);
            if (!_explicit)
            {
                WriteU32(h[4..], length);
                output.Write(h[..8]);
                return;
            }
            h[4] = (byte)((ushort)vr >> 8);
            h[5] = (byte)vr;
            if (vr.HasLongLength)
            {
                h[6] = 0;
                h[7] = 0;
                WriteU32(h[8..], length);
                output.Write(h[..12]);
            }
            else
            {
                if (_be) BinaryPrimitives.WriteUInt16BigEndian(h[6..], (ushort)length);
                else BinaryPrimitives.WriteUInt16LittleEndian(h[6..], (ushort)length);
                output.Write(h[..8]);
            }
        }

        private void WriteItemHeader(DicomTag tag, uint length)
        {
            var h = _header.AsSpan(0, 8);
            WriteTag(h, tag);
            WriteU32(h[4..], length);
            output.Write(h);
        }

        private void WriteTag(Span<byte> h, DicomTag tag)
        {
            if (_be)
            {
                BinaryPrimitives.WriteUInt16BigEndian(h, tag.Group);
                BinaryPrimitives.WriteUInt16BigEndian(h[2..], tag.Element);
            }
            else
            {
                BinaryPrimitives.WriteUInt16LittleEndian(h, tag.Group);
                BinaryPrimitives.WriteUInt16LittleEndian(h[2..], tag.Element);
            }
        }

        private void WriteU32(Span<byte> h, uint v)
        {
            if (_be) BinaryPrimitives.WriteUInt32BigEndian(h, v);
            else BinaryPrimitives.WriteUInt32LittleEndian(h, v);
        }

        private void WriteValue(DicomBuffer buffer, int swapUnit)
        {
            if (buffer.Length == 0) return;
            if (swapUnit <= 1)
            {
                buffer.CopyTo(output);
                return;
            }
            var span = buffer.Span;
            var rented = ArrayPool<byte>.Shared.Rent(span.Length);
            try
            {
                span.CopyTo(rented);
                ByteSwap.InPlace(rented.AsSpan(0, span.Length), swapUnit);
                output.Write(rented, 0, span.Length);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
