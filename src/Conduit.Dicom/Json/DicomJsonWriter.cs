using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Conduit.Dicom.Text;

namespace Conduit.Dicom;

/// <summary>
/// Writes data sets as DICOM JSON (PS3.18 Annex F, the DICOM JSON Model) with <see cref="Utf8JsonWriter"/>.
/// Text is decoded with the data set's Specific Character Set (items inherit it) and written as UTF-8, numbers as
/// JSON numbers, binary values as InlineBinary or, through <see cref="DicomJsonWriterOptions.BulkDataUri"/>, as a
/// BulkDataURI. Values left in the file are streamed in chunks and never loaded whole.
/// </summary>
public static class DicomJsonWriter
{
    /// <summary>The data set as a JSON string.</summary>
    public static string Serialize(DicomDataset dataset, DicomJsonWriterOptions? options = null)
    {
        using var buffer = new MemoryStream();
        Write(buffer, dataset, options);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The file's data set (and its File Meta when <see cref="DicomJsonWriterOptions.IncludeFileMeta"/>) as a JSON string.</summary>
    public static string Serialize(DicomFile file, DicomJsonWriterOptions? options = null)
    {
        using var buffer = new MemoryStream();
        Write(buffer, file, options);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static void Write(Stream stream, DicomDataset dataset, DicomJsonWriterOptions? options = null)
    {
        options ??= DicomJsonWriterOptions.Default;
        using var writer = new Utf8JsonWriter(stream, WriterOptions(options));
        Write(writer, dataset, options);
    }

    public static void Write(Stream stream, DicomFile file, DicomJsonWriterOptions? options = null)
    {
        options ??= DicomJsonWriterOptions.Default;
        using var writer = new Utf8JsonWriter(stream, WriterOptions(options));
        Write(writer, file, options);
    }

    /// <summary>Writes one JSON object for the data set; the caller owns the writer (e.g. to put several in an array).</summary>
    public static void Write(Utf8JsonWriter writer, DicomDataset dataset, DicomJsonWriterOptions? options = null) =>
        new Session(writer, options ?? DicomJsonWriterOptions.Default).TopLevel(null, dataset);

    public static void Write(Utf8JsonWriter writer, DicomFile file, DicomJsonWriterOptions? options = null)
    {
        options ??= DicomJsonWriterOptions.Default;
        new Session(writer, options).TopLevel(options.IncludeFileMeta ? file.Meta : null, file.Dataset);
    }

    /// <summary>Writer settings that match the options: UTF-8 text unescaped where JSON allows it.</summary>
    public static JsonWriterOptions WriterOptions(DicomJsonWriterOptions options) => new()
    {
        Indented = options.Indented,
        // Names and values are often non-Latin text: keep them readable instead of \uXXXX escapes.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    private sealed class Session(Utf8JsonWriter w, DicomJsonWriterOptions options)
    {
        /// <summary>Bytes the writer may hold before it is flushed to its stream.</summary>
        private const int FlushThreshold = 1 << 20;

        public void TopLevel(DicomDataset? meta, DicomDataset dataset)
        {
            w.WriteStartObject();
            if (meta is not null)
            {
                foreach (var item in meta) Item(item, meta, "");
            }
            foreach (var item in dataset)
            {
                // PS3.18 models the data set; group 0002 belongs to the file (and comes from meta when asked for).
                if (item.Tag.Group == 0x0002) continue;
                Item(item, dataset, "");
            }
            w.WriteEndObject();
            w.Flush();
        }

        private void DataSet(DicomDataset dataset, string path)
        {
            w.WriteStartObject();
            foreach (var item in dataset) Item(item, dataset, path);
            w.WriteEndObject();
        }

        private void Item(DicomItem item, DicomDataset owner, string parentPath)
        {
            Span<char> key = stackalloc char[8];
            item.Tag.Value.TryFormat(key, out _, "X8", CultureInfo.InvariantCulture);
            w.WritePropertyName(key);
            w.WriteStartObject();
            switch (item)
            {
                case DicomSequence sequence:
                    // A UN of undefined length read as a sequence (CP-246) is a sequence in JSON as well.
                    w.WriteString("vr"u8, "SQ"u8);
                    if (sequence.Items.Count > 0)
                    {
                        w.WritePropertyName("Value"u8);
                        w.WriteStartArray();
                        for (var i = 0; i < sequence.Items.Count; i++)
                            DataSet(sequence.Items[i], $"{parentPath}/{item.Tag.ToJsonKey()}/Value/{i}");
                        w.WriteEndArray();
                    }
                    break;
                case DicomFragmentSequence fragments:
                    w.WriteString("vr"u8, fragments.VR.Code);
                    Binary(fragments, DicomJsonFragments.StreamLength(fragments), parentPath,
                        s => DicomJsonFragments.CopyItemStream(fragments, s));
                    break;
                case DicomElement element:
                    w.WriteString("vr"u8, element.VR.Code);
                    Element(element, owner, parentPath);
                    break;
            }
            w.WriteEndObject();
            if (w.BytesPending > FlushThreshold) w.Flush();
        }

        private void Element(DicomElement e, DicomDataset owner, string parentPath)
        {
            if (e.Buffer is BulkDataUriBuffer reference)
            {
                // Read from JSON and never fetched: the URI goes back out as it came in.
                w.WriteString("BulkDataURI"u8, reference.Uri);
                return;
            }
            // PS3.18 §F.2.5: an empty value has no Value member.
            if (e.Length == 0) return;
            var vr = e.VR;
            if (vr.IsBinary)
            {
                Binary(e, e.Length, parentPath, e.Buffer.CopyTo);
                return;
            }
            var bytes = e.Buffer.Span;
            switch (vr)
            {
                case DicomVR.PN:
                    PersonNames(DicomValueCodec.DecodeStrings(vr, bytes, owner.CharacterSet));
                    break;
                case DicomVR.DS or DicomVR.IS:
                    DecimalStrings(DicomValueCodec.DecodeStrings(vr, bytes, DicomCharacterSet.Default));
                    break;
                case DicomVR.AT:
                    var tags = DicomValueCodec.DecodeTags(bytes);
                    if (tags.Length == 0) return;
                    w.WritePropertyName("Value"u8);
                    w.WriteStartArray();
                    foreach (var t in tags) w.WriteStringValue(t.ToJsonKey());
                    w.WriteEndArray();
                    break;
                case DicomVR.US or DicomVR.SS or DicomVR.UL or DicomVR.SL or DicomVR.FL or DicomVR.FD or DicomVR.SV or DicomVR.UV:
                    Numbers(vr, bytes);
                    break;
                default:
                    Strings(DicomValueCodec.DecodeStrings(vr, bytes, owner.CharacterSet));
                    break;
            }
        }

        private bool StartValues(IReadOnlyList<string> values)
        {
            var any = false;
            foreach (var v in values) any |= v.Length > 0;
            if (!any) return false;
            w.WritePropertyName("Value"u8);
            w.WriteStartArray();
            return true;
        }

        private void Strings(IReadOnlyList<string> values)
        {
            if (!StartValues(values)) return;
            // PS3.18 §F.2.5: an empty value among others is null.
            foreach (var v in values)
            {
                if (v.Length == 0) w.WriteNullValue();
                else w.WriteStringValue(v);
            }
            w.WriteEndArray();
        }

        private void DecimalStrings(IReadOnlyList<string> values)
        {
            if (!StartValues(values)) return;
            foreach (var v in values)
            {
                if (v.Length == 0) w.WriteNullValue();
                // PS3.18 §F.2.3: DS and IS are JSON Numbers; text that is no number stays a string rather than be lost.
                else if (DicomJsonNumbers.TryToJsonNumber(v, out var number)) w.WriteRawValue(number, skipInputValidation: true);
                else w.WriteStringValue(v);
            }
            w.WriteEndArray();
        }

        private void PersonNames(IReadOnlyList<string> values)
        {
            if (!StartValues(values)) return;
            foreach (var v in values)
            {
                if (v.Length == 0)
                {
                    w.WriteNullValue();
                    continue;
                }
                // PS3.18 §F.2.2: one member per component group that has text.
                var name = DicomPersonName.Parse(v);
                w.WriteStartObject();
                if (name.Alphabetic.Length > 0) w.WriteString("Alphabetic"u8, name.Alphabetic);
                if (name.Ideographic.Length > 0) w.WriteString("Ideographic"u8, name.Ideographic);
                if (name.Phonetic.Length > 0) w.WriteString("Phonetic"u8, name.Phonetic);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }

        private void Numbers(DicomVR vr, ReadOnlySpan<byte> bytes)
        {
            var size = vr.ValueSize;
            var count = bytes.Length / size;
            if (count == 0) return;
            w.WritePropertyName("Value"u8);
            w.WriteStartArray();
            for (var i = 0; i < count; i++)
            {
                var b = bytes.Slice(i * size, size);
                switch (vr)
                {
                    case DicomVR.US: w.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(b)); break;
                    case DicomVR.SS: w.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(b)); break;
                    case DicomVR.UL: w.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(b)); break;
                    case DicomVR.SL: w.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(b)); break;
                    case DicomVR.SV: w.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(b)); break;
                    case DicomVR.UV: w.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(b)); break;
                    case DicomVR.FL: Float(BinaryPrimitives.ReadSingleLittleEndian(b)); break;
                    case DicomVR.FD: Double(BinaryPrimitives.ReadDoubleLittleEndian(b)); break;
                }
            }
            w.WriteEndArray();
        }

        // JSON has no NaN or infinities: those are written as the strings .NET and JavaScript print for them.
        private void Float(float v)
        {
            if (float.IsFinite(v)) w.WriteNumberValue(v);
            else w.WriteStringValue(v.ToString(CultureInfo.InvariantCulture));
        }

        private void Double(double v)
        {
            if (double.IsFinite(v)) w.WriteNumberValue(v);
            else w.WriteStringValue(v.ToString(CultureInfo.InvariantCulture));
        }

        private void Binary(DicomItem item, long length, string parentPath, Action<Stream> copy)
        {
            if (options.BulkDataUri is { } factory && length >= options.BulkDataThreshold)
            {
                var uri = factory(new DicomJsonBulkData($"{parentPath}/{item.Tag.ToJsonKey()}", item, length));
                if (uri is not null)
                {
                    w.WriteString("BulkDataURI"u8, uri);
                    return;
                }
            }
            // PS3.18 §F.2.7: base64 of the value bytes, little endian as DICOM JSON assumes.
            w.WritePropertyName("InlineBinary"u8);
            using var base64 = new Base64SegmentStream(w, FlushThreshold);
            copy(base64);
            base64.Complete();
        }
    }
}
