using System.Buffers;
using System.Buffers.Binary;

namespace Conduit.Dicom.IO;

/// <summary>The element loop of <see cref="DicomReader"/>: one data set, its sequences and fragments, recursively.</summary>
internal sealed class DicomParser(ByteSource src, DicomReadOptions options, List<DicomReadWarning> warnings, bool metaOnly = false)
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private static readonly DicomTag PixelData = new(0x7FE00010);

    /// <summary>How a data set ends: at a byte position, at the end of the data, or at an Item Delimitation Item.</summary>
    private const long ToEndOfData = -1;
    private const long ToItemDelimiter = -2;

    /// <summary>Reads elements into <paramref name="ds"/>. Returns true if a Sequence Delimitation Item closed an unterminated item.</summary>
    public bool ReadDataset(DicomDataset ds, DicomTransferSyntax ts, long end, int depth, bool topLevel)
    {
        var be = ts.IsBigEndian;
        while (true)
        {
            if (end >= 0 && src.Position >= end) return false;
            if (!src.TryEnsure(8))
            {
                var left = src.Buffered;
                if (end == ToEndOfData)
                {
                    if (left > 0) warnings.Add(new(src.Position, null, $"{left} trailing byte(s) after the last element ignored"));
                    src.Advance(left);
                    return false;
                }
                throw new DicomReadException(end == ToItemDelimiter
                    ? "data ends inside a sequence item that has no Item Delimitation Item"
                    : $"data ends inside an item declared to end at byte {end}", src.Position, ds.LastTag);
            }

            var header = src.Peek(8);
            var group = be ? BinaryPrimitives.ReadUInt16BigEndian(header) : BinaryPrimitives.ReadUInt16LittleEndian(header);
            var element = be ? BinaryPrimitives.ReadUInt16BigEndian(header[2..]) : BinaryPrimitives.ReadUInt16LittleEndian(header[2..]);
            var tag = new DicomTag(group, element);
            if (metaOnly && group != 0x0002) return false;
            if (topLevel && options.StopBeforeTag is { } stop && tag >= stop) return false;

            var start = src.Position;
            if (group == 0xFFFE)
            {
                src.Advance(4);
                var delimiterLength = src.ReadUInt32(be);
                if (tag == DicomTag.ItemDelimitationItem)
                {
                    if (end == ToItemDelimiter) return false;
                    warnings.Add(new(start, tag, "Item Delimitation Item outside an item of undefined length ignored"));
                    continue;
                }
                if (tag == DicomTag.SequenceDelimitationItem)
                {
                    if (end == ToItemDelimiter)
                    {
                        warnings.Add(new(start, tag, "item of undefined length closed by a Sequence Delimitation Item"));
                        return true;
                    }
                    warnings.Add(new(start, tag, "Sequence Delimitation Item outside a sequence ignored"));
                    continue;
                }
                throw new DicomReadException($"unexpected {tag} (length {delimiterLength}) where an element was expected", start, tag);
            }

            DicomVR vr;
            uint length;
            var isExplicit = ts.IsExplicitVR && DicomVRInfo.TryParse(header[4], header[5], out vr);
            if (isExplicit)
            {
                vr = (DicomVR)((header[4] << 8) | header[5]);
                if (vr.HasLongLength)
                {
                    if (!src.TryEnsure(12)) throw Truncated(start, tag);
                    src.Advance(8);
                    length = src.ReadUInt32(be);
                }
                else
                {
                    src.Advance(6);
                    length = src.ReadUInt16(be);
                }
            }
            else
            {
                if (ts.IsExplicitVR)
                    warnings.Add(new(start, tag, $"no valid VR in an explicit VR data set (bytes {header[4]:X2} {header[5]:X2}): element read as implicit VR"));
                src.Advance(4);
                length = src.ReadUInt32(be);
                vr = ImplicitVR(ds, tag);
            }

            if (topLevel && options.KeepOnly is { } keep && !keep.Contains(tag))
            {
                // Checked, not kept (KeepOnly): an undefined length is read through to find where the element ends.
                if (length == UndefinedLength) ReadValue(ds, tag, vr, length, isExplicit, ts, start, depth);
                else if (length > src.Remaining) throw PastTheEnd(length, start, tag);
                else if (!src.Skip(length)) throw Truncated(start, tag); // a stream of unknown length ended first
                continue;
            }
            var item = ReadValue(ds, tag, vr, length, isExplicit, ts, start, depth);
            if (item is null) continue; // bulk data skipped (SkipBulkDataOver)
            if (ds.LastTag is { } last && tag <= last)
                warnings.Add(new(start, tag, tag == last ? "duplicate element: the later one is kept" : "element out of ascending tag order"));
            ds.Add(item);
        }
    }

    private DicomItem? ReadValue(DicomDataset ds, DicomTag tag, DicomVR vr, uint length, bool isExplicit, DicomTransferSyntax ts, long start, int depth)
    {
        if (length == UndefinedLength)
        {
            if (tag == PixelData || vr is DicomVR.OB or DicomVR.OW)
                // Keep an explicit OW as written (byte-exact round trip); PS3.5 §A.4 says OB, which implicit VR gets.
                return ReadFragments(tag, isExplicit && vr != DicomVR.UN ? vr : DicomVR.OB, ts.IsBigEndian, start);
            if (vr == DicomVR.SQ || vr == DicomVR.UN)
            {
                // CP-246: UN of undefined length holds a sequence whose items are Implicit VR Little Endian.
                var itemSyntax = vr == DicomVR.UN && isExplicit ? DicomTransferSyntax.ImplicitVRLittleEndian : ts;
                return ReadSequence(ds, tag, vr, length, itemSyntax, start, depth);
            }
            throw new DicomReadException($"undefined length is not allowed for VR {vr.Code}", start, tag);
        }

        if (length > src.Remaining) throw PastTheEnd(length, start, tag);

        if (isExplicit && vr == DicomVR.UN && !ts.IsBigEndian && StartsWithItem(length, false) && DictionaryVR(ds, tag) == DicomVR.SQ)
        {
            // CP-246: a sequence sent as UN (by a node that did not know it) holds items in implicit VR little endian.
            // Kept as UN so that it is written back exactly as it came.
            return ReadSequence(ds, tag, DicomVR.UN, length, DicomTransferSyntax.ImplicitVRLittleEndian, start, depth);
        }
        if (vr == DicomVR.SQ || (!isExplicit && vr == DicomVR.UN && StartsWithItem(length, ts.IsBigEndian)))
        {
            // An unknown (private) element in implicit VR whose value opens with an Item tag is a sequence:
            // dcmtk and pydicom read it so, and so must a router that wants to reach Pixel Data behind it.
            return ReadSequence(ds, tag, DicomVR.SQ, length, ts, start, depth);
        }

        if (length > options.SkipBulkDataOver && IsBulkDataVR(vr))
        {
            if (!src.Skip(length)) throw Truncated(start, tag);
            return null;
        }

        var buffer = ReadBuffer(length, vr.SwapUnit, ts.IsBigEndian, start, tag);
        if (vr is DicomVR.IS or DicomVR.DS && !IsNumberString(buffer.Span, vr == DicomVR.DS))
            warnings.Add(new(start, tag, $"value '{DicomDataset.DecodeAscii(buffer.Span).TrimEnd()}' is not a valid {vr.Code}: kept as read"));
        return new DicomElement(tag, vr, buffer);
    }

    private DicomReadException PastTheEnd(uint length, long start, DicomTag tag) =>
        new($"value length {length} runs past the end of the data ({src.Remaining} bytes left)", start, tag);

    // Not UN: an unknown element (a private one, in implicit VR) may hold text that a flow's trigger matches.
    private static bool IsBulkDataVR(DicomVR vr) =>
        vr is DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW;

    /// <summary>IS and DS (PS3.5 Table 6.2-1): digits, sign, spaces, and for DS '.', 'E' and 'e'; values separated by '\\'.</summary>
    private static bool IsNumberString(ReadOnlySpan<byte> value, bool isDecimal) =>
        value.IndexOfAnyExcept(isDecimal ? DecimalStringBytes : IntegerStringBytes) < 0;

    // Vectorised: the contour data of an RT Structure Set is megabytes of DS text.
    private static readonly SearchValues<byte> IntegerStringBytes = SearchValues.Create("0123456789+- \\\0"u8);
    private static readonly SearchValues<byte> DecimalStringBytes = SearchValues.Create("0123456789+- \\\0.Ee"u8);

    private DicomBuffer ReadBuffer(long length, int swapUnit, bool bigEndian, long start, DicomTag tag)
    {
        if (length == 0) return DicomBuffer.Empty;
        if (length > options.LazyValueThreshold && src.FilePath is { } path && src.Length >= 0)
        {
            var offset = src.Position;
            if (!src.Skip(length)) throw Truncated(start, tag);
            return new FileRangeBuffer(path, offset, length, bigEndian ? swapUnit : 0);
        }
        if (length <= SmallValue && length <= src.Buffered)
        {
            // Small values share one array per parse: a header of a hundred elements costs a few allocations, not a hundred.
            if (_arena.Length - _arenaUsed < length)
            {
                // Start small (a File Meta group is ~200 bytes) and double, so small data sets stay cheap.
                _arena = new byte[Math.Min(MaxArenaSize, Math.Max(512, _arena.Length * 2))];
                _arenaUsed = 0;
            }
            var slice = _arena.AsMemory(_arenaUsed, (int)length);
            src.Peek((int)length).CopyTo(slice.Span);
            src.Advance((int)length);
            _arenaUsed += (int)length;
            if (bigEndian) ByteSwap.InPlace(slice.Span, swapUnit);
            return new MemoryBuffer(slice);
        }
        var bytes = src.TryReadArray(length)
            ?? throw new DicomReadException($"value length {length} runs past the end of the data", start, tag);
        if (bigEndian) ByteSwap.InPlace(bytes, swapUnit);
        return new MemoryBuffer(bytes);
    }

    private const int SmallValue = 256;
    private const int MaxArenaSize = 16384;
    private byte[] _arena = [];
    private int _arenaUsed;

    private DicomSequence ReadSequence(DicomDataset parent, DicomTag tag, DicomVR vr, uint length, DicomTransferSyntax ts, long start, int depth)
    {
        if (depth >= options.MaxSequenceDepth)
            throw new DicomReadException($"sequences nested deeper than {options.MaxSequenceDepth} levels", start, tag);
        if (options.DeferSequences && length != UndefinedLength && length > 0)
            return DeferSequence(parent, tag, vr, length, ts, start, depth);
        var be = ts.IsBigEndian;
        var seq = new DicomSequence(tag, vr) { UndefinedLength = length == UndefinedLength };
        var end = length == UndefinedLength ? -1 : src.Position + length;
        while (true)
        {
            if (end >= 0 && src.Position >= end) break;
            var itemStart = src.Position;
            if (!src.TryEnsure(8))
                throw new DicomReadException(end < 0 ? "data ends inside a sequence that has no Sequence Delimitation Item" : "data ends inside a sequence", itemStart, tag);
            var g = src.ReadUInt16(be);
            var e = src.ReadUInt16(be);
            var itemTag = new DicomTag(g, e);
            var itemLength = src.ReadUInt32(be);
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                if (end >= 0) warnings.Add(new(itemStart, tag, "Sequence Delimitation Item inside a sequence of defined length"));
                break;
            }
            if (itemTag != DicomTag.Item)
                throw new DicomReadException($"expected an Item (FFFE,E000) in the sequence, found {itemTag}", itemStart, tag);

            var item = new DicomDataset { Parent = parent, UndefinedLength = itemLength == UndefinedLength };
            seq.Items.Add(item);
            var itemSyntax = itemLength == 0 ? ts : DetectVREncoding(src, ts, warnings);
            if (itemLength == UndefinedLength)
            {
                if (ReadDataset(item, itemSyntax, ToItemDelimiter, depth + 1, topLevel: false)) break;
            }
            else
            {
                var itemEnd = src.Position + itemLength;
                if (end >= 0 && itemEnd > end)
                {
                    // dcmtk and pydicom read such an item up to the end of its sequence (e.g. a DICOMDIR whose records were shortened).
                    warnings.Add(new(itemStart, tag, $"item length {itemLength} runs past the end of its sequence by {itemEnd - end} bytes: item read to the end of the sequence"));
                    itemEnd = end;
                }
                if (itemEnd - src.Position > src.Remaining)
                    throw new DicomReadException($"item length {itemLength} runs past the end of the data ({src.Remaining} bytes left)", itemStart, tag);
                ReadDataset(item, itemSyntax, itemEnd, depth + 1, topLevel: false);
            }
        }
        if (end >= 0 && src.Position > end)
            warnings.Add(new(start, tag, $"items of undefined length overran the sequence's declared length by {src.Position - end} bytes: reading continues after them"));
        return seq;
    }

    /// <summary>Keeps the sequence's bytes (already bounds-checked against the data) and parses them on first access.</summary>
    private DicomSequence DeferSequence(DicomDataset parent, DicomTag tag, DicomVR vr, uint length, DicomTransferSyntax ts, long start, int depth)
    {
        var origin = src.Position;
        var bytes = ReadBuffer(length, 0, false, start, tag);
        var seq = new DicomSequence(tag, vr);
        var eager = options with { DeferSequences = false };
        var warnings1 = warnings;
        seq.Defer(() =>
        {
            var memory = bytes.Memory;
            var stream = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(memory, out var segment)
                ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
                : new MemoryStream(memory.ToArray(), writable: false);
            using var source = new ByteSource(stream, ownsStream: true, origin: origin);
            var parsed = new DicomParser(source, eager, warnings1).ReadSequence(parent, tag, vr, length, ts, start, depth);
            return parsed.Items;
        });
        return seq;
    }

    private DicomFragmentSequence ReadFragments(DicomTag tag, DicomVR vr, bool be, long start)
    {
        var fragments = new DicomFragmentSequence(tag, vr);
        var first = true;
        while (true)
        {
            var itemStart = src.Position;
            if (!src.TryEnsure(8))
                throw new DicomReadException("encapsulated Pixel Data has no Sequence Delimitation Item: the data ends inside it", itemStart, tag);
            var itemTag = new DicomTag(src.ReadUInt16(be), src.ReadUInt16(be));
            var length = src.ReadUInt32(be);
            if (itemTag == DicomTag.SequenceDelimitationItem) break;
            if (itemTag != DicomTag.Item)
                throw new DicomReadException($"expected a fragment Item (FFFE,E000), found {itemTag}", itemStart, tag);
            if (length == UndefinedLength || length > src.Remaining)
                throw new DicomReadException($"fragment length {length} runs past the end of the data", itemStart, tag);
            var buffer = ReadBuffer(length, 0, false, itemStart, tag);
            if (first) fragments.OffsetTable = buffer;
            else fragments.Fragments.Add(buffer);
            first = false;
        }
        if (first) warnings.Add(new(start, tag, "encapsulated Pixel Data without a Basic Offset Table item"));
        return fragments;
    }

    /// <summary>The VR of an element read in implicit VR: the public dictionary, a known private dictionary, else UN.</summary>
    private static DicomVR ImplicitVR(DicomDataset ds, DicomTag tag) => DictionaryVR(ds, tag);

    private static DicomVR DictionaryVR(DicomDataset ds, DicomTag tag)
    {
        if (tag.IsPrivate && !tag.IsPrivateCreator && tag.Element >= 0x1000)
        {
            var creatorTag = new DicomTag(tag.Group, (ushort)(tag.Element >> 8));
            if (ds.GetItem(creatorTag) is DicomElement creator)
            {
                var name = DicomDataset.DecodeAscii(creator.Buffer.Span).TrimEnd(' ', '\0');
                return DicomDictionary.FindPrivate(name, tag)?.VR ?? DicomVR.UN;
            }
            return DicomVR.UN;
        }
        return DicomAmbiguousVR.Resolve(ds, tag, DicomDictionary.ImplicitVR(tag));
    }

    /// <summary>
    /// Some writers declare one VR encoding and use the other: an implicit VR data set under an explicit syntax, or
    /// (Philips, pydicom GH626) explicit VR items inside an implicit VR file. Like dcmtk and pydicom, trust the first
    /// element of the data set or item over the declared syntax, and say so.
    /// </summary>
    internal static DicomTransferSyntax DetectVREncoding(ByteSource source, DicomTransferSyntax syntax, List<DicomReadWarning> warnings)
    {
        if (syntax.IsBigEndian || !source.TryEnsure(8)) return syntax;
        var b = source.Peek(8);
        if (b[0] == 0xFE && b[1] == 0xFF) return syntax;
        var looksExplicit = DicomVRInfo.TryParse(b[4], b[5], out _);
        if (syntax.IsExplicitVR && !looksExplicit)
        {
            warnings.Add(new(source.Position, null, $"syntax {syntax.Uid} is explicit VR but the data is encoded in implicit VR: read as implicit VR"));
            return DicomTransferSyntax.ImplicitVRLittleEndian;
        }
        if (!syntax.IsExplicitVR && looksExplicit)
        {
            warnings.Add(new(source.Position, null, $"syntax {syntax.Uid} is implicit VR but the data is encoded in explicit VR: read as explicit VR"));
            return DicomTransferSyntax.ExplicitVRLittleEndian;
        }
        return syntax;
    }

    private bool StartsWithItem(uint length, bool bigEndian)
    {
        if (length < 8 || !src.TryEnsure(4)) return false;
        var b = src.Peek(4);
        return bigEndian
            ? b[0] == 0xFF && b[1] == 0xFE && b[2] == 0xE0 && b[3] == 0x00
            : b[0] == 0xFE && b[1] == 0xFF && b[2] == 0x00 && b[3] == 0xE0;
    }

    private static DicomReadException Truncated(long start, DicomTag tag) =>
        new("data ends inside the element header or value", start, tag);
}
