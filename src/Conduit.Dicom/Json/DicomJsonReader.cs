using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Conduit.Dicom.Text;

namespace Conduit.Dicom;

/// <summary>
/// Reads DICOM JSON (PS3.18 Annex F) into a <see cref="DicomDataset"/>: every VR back to its little-endian bytes,
/// InlineBinary from base64, BulkDataURI through <see cref="DicomJsonReaderOptions.BulkDataResolver"/> (an error
/// without one). Text is encoded in the declared Specific Character Set; when none is declared and some text is
/// not ASCII, (0008,0005) is set to ISO_IR 192 and the text is written as UTF-8.
/// </summary>
public static class DicomJsonReader
{
    private static readonly DicomTag SpecificCharacterSet = new(0x00080005);

    public static DicomDataset Parse(string json, DicomJsonReaderOptions? options = null)
    {
        using var document = Document(() => JsonDocument.Parse(json));
        return Read(document.RootElement, options);
    }

    public static DicomDataset Read(Stream utf8Json, DicomJsonReaderOptions? options = null)
    {
        using var document = Document(() => JsonDocument.Parse(utf8Json));
        return Read(document.RootElement, options);
    }

    /// <summary>Reads one data set object (the document itself, or one entry of an array of them).</summary>
    public static DicomDataset Read(JsonElement dataSet, DicomJsonReaderOptions? options = null)
    {
        var session = new Session(options ?? DicomJsonReaderOptions.Default);
        var declared = dataSet.ValueKind == JsonValueKind.Object
            && dataSet.TryGetProperty(SpecificCharacterSet.ToJsonKey(), out var cs)
            && cs.TryGetProperty("Value", out var csValue) && csValue.ValueKind == JsonValueKind.Array
            && csValue.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.String && v.GetString()!.Trim().Length > 0);
        return session.DataSet(dataSet, "", parent: null, utf8IfNonAscii: !declared && HasNonAsciiText(dataSet));
    }

    private static JsonDocument Document(Func<JsonDocument> parse)
    {
        try
        {
            return parse();
        }
        catch (JsonException ex)
        {
            throw new DicomJsonException("", $"not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>True when some string of a VR that uses Specific Character Set (PN included) is not ASCII.</summary>
    private static bool HasNonAsciiText(JsonElement dataSet)
    {
        if (dataSet.ValueKind != JsonValueKind.Object) return false;
        foreach (var attribute in dataSet.EnumerateObject())
        {
            if (attribute.Value.ValueKind != JsonValueKind.Object
                || !attribute.Value.TryGetProperty("vr", out var vrText)
                || !DicomVRInfo.TryParse(vrText.GetString() ?? "", out var vr)
                || !attribute.Value.TryGetProperty("Value", out var values)
                || values.ValueKind != JsonValueKind.Array)
                continue;
            foreach (var value in values.EnumerateArray())
            {
                if (vr == DicomVR.SQ && HasNonAsciiText(value)) return true;
                if (vr.UsesCharacterSet && value.ValueKind == JsonValueKind.String && !IsAscii(value.GetString()!)) return true;
                if (vr == DicomVR.PN && value.ValueKind == JsonValueKind.Object
                    && value.EnumerateObject().Any(g => g.Value.ValueKind == JsonValueKind.String && !IsAscii(g.Value.GetString()!)))
                    return true;
            }
        }
        return false;
    }

    private static bool IsAscii(string s) => System.Text.Ascii.IsValid(s);

    private sealed class Session(DicomJsonReaderOptions options)
    {
        public DicomDataset DataSet(JsonElement json, string path, DicomDataset? parent, bool utf8IfNonAscii = false)
        {
            if (json.ValueKind != JsonValueKind.Object)
                throw new DicomJsonException(path, $"a data set must be a JSON object, not {json.ValueKind}");
            var dataset = new DicomDataset { Parent = parent };
            // The character set first: every other text value of this data set (and its items) is encoded with it.
            if (utf8IfNonAscii)
                dataset.Add(new DicomElement(SpecificCharacterSet, DicomVR.CS, DicomBuffer.From("ISO_IR 192"u8.ToArray())));
            else if (json.TryGetProperty(SpecificCharacterSet.ToJsonKey(), out var cs))
                dataset.Add(Attribute(SpecificCharacterSet, cs, $"{path}/{SpecificCharacterSet.ToJsonKey()}", dataset));
            foreach (var attribute in json.EnumerateObject())
            {
                var attributePath = $"{path}/{attribute.Name}";
                if (attribute.Name.Length != 8
                    || !uint.TryParse(attribute.Name, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var tagValue))
                    throw new DicomJsonException(attributePath, "a key must be a tag of 8 hex digits (PS3.18 §F.2.1)");
                var tag = new DicomTag(tagValue);
                if (tag == SpecificCharacterSet) continue;
                dataset.Add(Attribute(tag, attribute.Value, attributePath, dataset));
            }
            return dataset;
        }

        private DicomItem Attribute(DicomTag tag, JsonElement json, string path, DicomDataset owner)
        {
            if (json.ValueKind != JsonValueKind.Object)
                throw new DicomJsonException(path, "an attribute must be a JSON object (PS3.18 §F.2.2)");
            if (!json.TryGetProperty("vr", out var vrJson) || vrJson.ValueKind != JsonValueKind.String
                || !DicomVRInfo.TryParse(vrJson.GetString()!, out var vr))
                throw new DicomJsonException($"{path}/vr", "missing or unknown VR");

            var hasValue = json.TryGetProperty("Value", out var value) && value.ValueKind != JsonValueKind.Null;
            var hasInline = json.TryGetProperty("InlineBinary", out var inline) && inline.ValueKind != JsonValueKind.Null;
            var hasUri = json.TryGetProperty("BulkDataURI", out var uri) && uri.ValueKind != JsonValueKind.Null;
            if ((hasValue ? 1 : 0) + (hasInline ? 1 : 0) + (hasUri ? 1 : 0) > 1)
                throw new DicomJsonException(path, "Value, InlineBinary and BulkDataURI exclude each other (PS3.18 §F.2.2)");

            if (vr == DicomVR.SQ)
            {
                if (hasInline || hasUri) throw new DicomJsonException(path, "a sequence has no InlineBinary or BulkDataURI");
                var sequence = new DicomSequence(tag);
                if (hasValue)
                {
                    var i = 0;
                    foreach (var item in Array(value, $"{path}/Value").EnumerateArray())
                    {
                        sequence.Items.Add(DataSet(item, $"{path}/Value/{i}", owner));
                        i++;
                    }
                }
                return sequence;
            }
            if (hasUri)
            {
                var resolver = options.BulkDataResolver
                    ?? throw new DicomJsonException($"{path}/BulkDataURI",
                        $"BulkDataURI {uri} needs a BulkDataResolver (DicomJsonReaderOptions) to fetch or keep it");
                return new DicomElement(tag, vr, resolver(new DicomJsonBulkDataUri(uri.GetString() ?? "", path, tag, vr)));
            }
            if (hasInline)
            {
                if (inline.ValueKind != JsonValueKind.String || !inline.TryGetBytesFromBase64(out var bytes))
                    throw new DicomJsonException($"{path}/InlineBinary", "InlineBinary must be a base64 string (PS3.18 §F.2.7)");
                if (options.EncapsulatedPixelData && tag.Value == 0x7FE00010 && vr == DicomVR.OB
                    && owner.Parent is null && DicomJsonFragments.TryParse(bytes, tag, vr, out var fragments))
                    return fragments;
                return new DicomElement(tag, vr, DicomBuffer.From(bytes));
            }
            if (!hasValue) return new DicomElement(tag, vr, DicomBuffer.Empty);
            if (vr.IsBinary)
                throw new DicomJsonException($"{path}/Value", $"VR {vr.Code} takes InlineBinary or BulkDataURI, not Value (PS3.18 §F.2.3)");
            try
            {
                return new DicomElement(tag, vr, DicomBuffer.From(DicomJsonValues.Encode(vr, Array(value, $"{path}/Value"), owner.CharacterSet)));
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or InvalidOperationException)
            {
                throw new DicomJsonException($"{path}/Value", ex.Message, ex);
            }
        }

        private static JsonElement Array(JsonElement value, string path) =>
            value.ValueKind == JsonValueKind.Array ? value : throw new DicomJsonException(path, "Value must be an array (PS3.18 §F.2.4)");
    }
}
