using System.Globalization;
using Conduit.Dicom.Text;

namespace Conduit.Dicom.Dump;

/// <summary>
/// A human-readable dump close to dcmtk's <c>dcmdump</c>: one line per element with tag, VR, value, value length,
/// value multiplicity and keyword; sequences, items and encapsulated fragments indented with their delimitation lines.
/// Text is decoded with the data set's Specific Character Set (items inherit it); values left in the file are shown
/// as "(not loaded)" with their length, never read.
/// </summary>
/// <remarks>
/// Differences from dcmdump 3.6.7 that are kept on purpose:
/// <list type="bullet">
/// <item>Text is decoded to Unicode (dcmdump prints the raw bytes unless given +U8); control characters such as the
/// line breaks of LT/ST/UT print as '.', so that every element stays on one line.</item>
/// <item>UIDs and transfer syntaxes are named by their PS3.6 keywords and names ("=ExplicitVRLittleEndian",
/// "Explicit VR Little Endian"), not dcmtk's own ("=LittleEndianExplicit", "Little Endian Explicit").</item>
/// <item>FL/FD/OF/OD print in the shortest form that reads back to the same number, not with a fixed precision.</item>
/// <item>VRs are the ones read or looked up: no dcmtk-internal "up", "xs" or "??" (UL, US, UN instead); group length
/// keywords are the dictionary's "GroupLength".</item>
/// <item>A UN element the reader opened as a sequence (CP-246, defined or undefined length) prints as SQ with its
/// items, where dcmdump shows a defined-length one as an opaque UN value; encapsulated Pixel Data keeps the VR it
/// was written with (dcmdump always shows OB).</item>
/// <item>Odd value lengths print as read (dcmdump shows an odd-length Pixel Data padded to even).</item>
/// <item>Lengths of defined-length sequences and items are computed from the data set as it would be written in its
/// syntax, not copied from the file, so a stale length (as in some DICOMDIRs) shows its corrected value.</item>
/// <item>Values the reader left in the file print as "(not loaded)", as dcmdump -M does, whatever their size.</item>
/// </list>
/// </remarks>
public static class DicomTextDump
{
    /// <summary>The value column is padded to this width before the "#" of the length column, as dcmdump does.</summary>
    private const int ValueColumnWidth = 40;

    private const string NoValue = "(no value available)";
    private const string NotLoaded = "(not loaded)";
    private const string UnknownKeyword = "Unknown Tag & Data";

    /// <summary>Dumps a Part 10 file: the File Meta group (unless turned off) and the data set.</summary>
    public static void Write(TextWriter writer, DicomFile file, DicomTextDumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(file);
        options ??= DicomTextDumpOptions.Default;
        writer.WriteLine();
        writer.WriteLine("# Dicom-File-Format");
        if (options.ShowMeta)
        {
            writer.WriteLine();
            writer.WriteLine("# Dicom-Meta-Information-Header");
            // PS3.10 §7.1: the File Meta group is always Explicit VR Little Endian.
            WriteSyntaxLine(writer, DicomTransferSyntax.ExplicitVRLittleEndian);
            new Printer(writer, options).WriteDataset(file.Meta, 0, DicomTransferSyntax.ExplicitVRLittleEndian);
        }
        Write(writer, file.Dataset, file.TransferSyntax, options);
    }

    /// <summary>Dumps a data set read (or to be written) in <paramref name="syntax"/>, which decides defined item and sequence lengths.</summary>
    public static void Write(TextWriter writer, DicomDataset dataset, DicomTransferSyntax syntax, DicomTextDumpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(syntax);
        writer.WriteLine();
        writer.WriteLine("# Dicom-Data-Set");
        WriteSyntaxLine(writer, syntax);
        new Printer(writer, options ?? DicomTextDumpOptions.Default).WriteDataset(dataset, 0, syntax);
    }

    /// <summary>The dump of a whole file as a string.</summary>
    public static string ToString(DicomFile file, DicomTextDumpOptions? options = null)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        Write(writer, file, options);
        return writer.ToString();
    }

    private static void WriteSyntaxLine(TextWriter writer, DicomTransferSyntax syntax) =>
        writer.WriteLine(syntax.IsKnown ? $"# Used TransferSyntax: {syntax.Name}" : $"# Used TransferSyntax: {syntax.Name} {syntax.Uid}");

    /// <summary>The keyword column: public dictionary (retired ones prefixed, as dcmdump does), else a known private dictionary.</summary>
    internal static string Keyword(DicomDataset dataset, DicomTag tag)
    {
        if (tag.IsPrivate && !tag.IsGroupLength)
        {
            if (tag.IsPrivateCreator) return "PrivateCreator";
            // PS3.5 §7.8.1: (gggg,xxEE) belongs to the block reserved by the creator at (gggg,00xx).
            if (tag.Element >= 0x1000 && dataset.GetItem(new DicomTag(tag.Group, (ushort)(tag.Element >> 8))) is DicomElement creator)
            {
                var name = DicomDataset.DecodeAscii(creator.Buffer.Span).Trim(' ', '\0');
                if (DicomDictionary.FindPrivate(name, tag) is { } privateEntry) return privateEntry.Keyword;
            }
            return UnknownKeyword;
        }
        return DicomDictionary.Find(tag) is { } entry
            ? entry.IsRetired ? "RETIRED_" + entry.Keyword : entry.Keyword
            : UnknownKeyword;
    }

    private sealed class Printer(TextWriter writer, DicomTextDumpOptions options)
    {
        private readonly int? _max = options.MaxValueLength is { } m ? Math.Max(m, 8) : null;

        public void WriteDataset(DicomDataset dataset, int depth, DicomTransferSyntax syntax)
        {
            foreach (var item in dataset)
            {
                switch (item)
                {
                    case DicomElement e:
                        var value = DicomValueText.Format(e, dataset.CharacterSet, _max, out var vm);
                        Line(depth, e.Tag, e.VR.Code, value, e.Length.ToString(CultureInfo.InvariantCulture), vm, Keyword(dataset, e.Tag));
                        break;
                    case DicomSequence s:
                        WriteSequence(dataset, s, depth, syntax);
                        break;
                    case DicomFragmentSequence f:
                        WriteFragments(dataset, f, depth);
                        break;
                }
            }
        }

        private void WriteSequence(DicomDataset dataset, DicomSequence sequence, int depth, DicomTransferSyntax syntax)
        {
            // CP-246: UN of undefined length holds Implicit VR Little Endian items; dcmdump shows it as SQ too.
            var itemSyntax = sequence.VR == DicomVR.UN && syntax.IsExplicitVR ? DicomTransferSyntax.ImplicitVRLittleEndian : syntax;
            var kind = sequence.UndefinedLength ? "undefined" : "explicit";
            var length = sequence.UndefinedLength ? "u/l" : Number(DicomWriter.EncodedLength(sequence, itemSyntax));
            Line(depth, sequence.Tag, "SQ", $"(Sequence with {kind} length #={Number(sequence.Items.Count)})", length, 1, Keyword(dataset, sequence.Tag));
            foreach (var item in sequence.Items)
            {
                var itemKind = item.UndefinedLength ? "undefined" : "explicit";
                var itemLength = item.UndefinedLength ? "u/l" : Number(DicomWriter.EncodedLength(item, itemSyntax));
                Line(depth + 1, DicomTag.Item, "na", $"(Item with {itemKind} length #={Number(item.Count)})", itemLength, 1, "Item");
                WriteDataset(item, depth + 2, itemSyntax);
                // A defined-length item has no delimiter on the wire; like dcmdump, show where one would go.
                Line(depth + 1, DicomTag.ItemDelimitationItem, "na",
                    item.UndefinedLength ? "(ItemDelimitationItem)" : "(ItemDelimitationItem for re-encoding)", "0", 0, "ItemDelimitationItem");
            }
            Line(depth, DicomTag.SequenceDelimitationItem, "na",
                sequence.UndefinedLength ? "(SequenceDelimitationItem)" : "(SequenceDelimitationItem for re-encod.)", "0", 0, "SequenceDelimitationItem");
        }

        private void WriteFragments(DicomDataset dataset, DicomFragmentSequence fragments, int depth)
        {
            Line(depth, fragments.Tag, fragments.VR.Code, $"(PixelSequence #={Number(fragments.Fragments.Count + 1)})", "u/l", 1, Keyword(dataset, fragments.Tag));
            WriteFragment(fragments.OffsetTable, depth + 1);
            foreach (var fragment in fragments.Fragments) WriteFragment(fragment, depth + 1);
            Line(depth, DicomTag.SequenceDelimitationItem, "na", "(SequenceDelimitationItem)", "0", 0, "SequenceDelimitationItem");
        }

        private void WriteFragment(DicomBuffer buffer, int depth)
        {
            var value = buffer.Length == 0 ? NoValue : buffer.IsLoaded ? DicomValueText.Hex(buffer.Span, 1, _max) : NotLoaded;
            Line(depth, DicomTag.Item, "pi", value, Number(buffer.Length), 1, "Item");
        }

        /// <summary>One dcmdump-style line: indent, (gggg,eeee), VR, value padded to the column, "# length,VM keyword" (VM right-aligned in two columns).</summary>
        private void Line(int depth, DicomTag tag, string vr, string value, string length, int vm, string keyword)
        {
            writer.Write(new string(' ', depth * 2));
            writer.Write(string.Create(CultureInfo.InvariantCulture, $"({tag.Group:x4},{tag.Element:x4}) {vr} "));
            writer.Write(value);
            if (value.Length < ValueColumnWidth) writer.Write(new string(' ', ValueColumnWidth - value.Length));
            writer.Write(" # ");
            if (length.Length < 3) writer.Write(new string(' ', 3 - length.Length));
            writer.Write(length);
            writer.Write(',');
            var multiplicity = vm.ToString(CultureInfo.InvariantCulture);
            if (multiplicity.Length < 2) writer.Write(' ');
            writer.Write(multiplicity);
            writer.Write(' ');
            writer.WriteLine(keyword);
        }

        private static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Formats a value the way dcmdump prints it; <see cref="DicomCharacterSet"/> decodes text.</summary>
    private static class DicomValueText
    {
        private const string Cut = "...";

        public static string Format(DicomElement element, DicomCharacterSet characterSet, int? max, out int vm)
        {
            var vr = element.VR;
            var buffer = element.Buffer;
            if (buffer.Length == 0)
            {
                vm = vr.IsBinary ? 1 : 0;
                return NoValue;
            }
            if (!buffer.IsLoaded)
            {
                // The multiplicity of fixed-size values follows from the length; text would have to be read to count.
                vm = vr.ValueSize > 0 && !vr.IsBinary ? (int)Math.Min(int.MaxValue, buffer.Length / vr.ValueSize) : 1;
                return NotLoaded;
            }
            var span = buffer.Span;
            if (vr.IsString) return Text(vr, span, characterSet, max, out vm);
            vm = vr.IsBinary ? 1 : vr.ValueSize > 0 ? span.Length / vr.ValueSize : 1;
            return vr switch
            {
                DicomVR.OB or DicomVR.UN or DicomVR.None => Hex(span, 1, max),
                DicomVR.OW => Hex(span, 2, max),
                DicomVR.OL => Hex(span, 4, max),
                DicomVR.OV => Hex(span, 8, max),
                _ => Numbers(vr, span, max),
            };
        }

        private static string Text(DicomVR vr, ReadOnlySpan<byte> bytes, DicomCharacterSet characterSet, int? max, out int vm)
        {
            var text = DicomValueCodec.DecodeString(vr, bytes, characterSet);
            if (text.Length == 0)
            {
                vm = 0;
                return NoValue;
            }
            vm = vr.IsSingleValuedText ? 1 : text.AsSpan().Count('\\') + 1;
            if (vr == DicomVR.UI && vm == 1 && DicomUidDictionary.Find(text) is { } uid) return "=" + uid.Keyword;
            var printed = "[" + Printable(text) + "]";
            if (max is not { } m || printed.Length <= m) return printed;
            var keep = m - Cut.Length;
            if (char.IsHighSurrogate(printed[keep - 1])) keep--;
            return string.Concat(printed.AsSpan(0, keep), Cut);
        }

        /// <summary>Control characters (CR, LF, TAB in LT/ST/UT, stray NULs) become '.', so that each element stays on one line.</summary>
        private static string Printable(string text)
        {
            if (!text.AsSpan().ContainsAnyInRange('\0', '\x1F') && !text.Contains('\x7F', StringComparison.Ordinal)) return text;
            return string.Create(text.Length, text, static (span, t) =>
            {
                for (var i = 0; i < t.Length; i++) span[i] = t[i] < ' ' || t[i] == '\x7F' ? '.' : t[i];
            });
        }

        /// <summary>Binary values as little-endian hex units of 1, 2, 4 or 8 bytes, separated by backslashes.</summary>
        public static string Hex(ReadOnlySpan<byte> bytes, int unit, int? max)
        {
            var count = bytes.Length / unit;
            var joiner = new Joiner(max);
            for (var i = 0; i < count && !joiner.Full; i++)
            {
                var v = bytes.Slice(i * unit, unit);
                joiner.Add(unit switch
                {
                    1 => v[0].ToString("x2", CultureInfo.InvariantCulture),
                    2 => BitConverter.ToUInt16(v).ToString("x4", CultureInfo.InvariantCulture),
                    4 => BitConverter.ToUInt32(v).ToString("x8", CultureInfo.InvariantCulture),
                    _ => BitConverter.ToUInt64(v).ToString("x16", CultureInfo.InvariantCulture),
                });
            }
            return joiner.ToString(count);
        }

        private static string Numbers(DicomVR vr, ReadOnlySpan<byte> bytes, int? max)
        {
            var size = vr == DicomVR.AT ? 4 : vr.ValueSize;
            if (size == 0) return Hex(bytes, 1, max);
            var count = bytes.Length / size;
            var joiner = new Joiner(max);
            for (var i = 0; i < count && !joiner.Full; i++)
            {
                var v = bytes.Slice(i * size, size);
                joiner.Add(vr switch
                {
                    DicomVR.US => BitConverter.ToUInt16(v).ToString(CultureInfo.InvariantCulture),
                    DicomVR.SS => BitConverter.ToInt16(v).ToString(CultureInfo.InvariantCulture),
                    DicomVR.UL => BitConverter.ToUInt32(v).ToString(CultureInfo.InvariantCulture),
                    DicomVR.SL => BitConverter.ToInt32(v).ToString(CultureInfo.InvariantCulture),
                    DicomVR.SV => BitConverter.ToInt64(v).ToString(CultureInfo.InvariantCulture),
                    DicomVR.UV => BitConverter.ToUInt64(v).ToString(CultureInfo.InvariantCulture),
                    DicomVR.FL or DicomVR.OF => Real(BitConverter.ToSingle(v).ToString("R", CultureInfo.InvariantCulture)),
                    DicomVR.FD or DicomVR.OD => Real(BitConverter.ToDouble(v).ToString("R", CultureInfo.InvariantCulture)),
                    DicomVR.AT => string.Create(CultureInfo.InvariantCulture, $"({BitConverter.ToUInt16(v):x4},{BitConverter.ToUInt16(v[2..]):x4})"),
                    _ => BitConverter.ToUInt32(v).ToString(CultureInfo.InvariantCulture),
                });
            }
            return joiner.ToString(count);
        }

        /// <summary>Shortest round-trip form, with a C-style lower-case exponent ("1e-05").</summary>
        private static string Real(string s) => s.Replace('E', 'e');

        /// <summary>
        /// Joins values with backslashes. With a limit, stops once past it; if not all values fit, keeps those that fit
        /// in the limit less three characters and adds "...", which is how dcmdump shortens multi-valued binary values.
        /// </summary>
        private sealed class Joiner(int? max)
        {
            private readonly System.Text.StringBuilder _text = new();
            private readonly List<int> _ends = [];

            public bool Full => max is { } m && _text.Length > m;

            public void Add(string value)
            {
                if (_ends.Count > 0) _text.Append('\\');
                _text.Append(value);
                _ends.Add(_text.Length);
            }

            public string ToString(int total)
            {
                if (max is not { } m || (_ends.Count == total && _text.Length <= m)) return _text.ToString();
                var keep = 0;
                foreach (var end in _ends)
                {
                    if (end > m - Cut.Length) break;
                    keep = end;
                }
                return _text.ToString(0, keep) + Cut;
            }
        }
    }
}
