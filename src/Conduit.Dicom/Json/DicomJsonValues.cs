using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Conduit.Dicom.Text;

namespace Conduit.Dicom;

/// <summary>The "Value" array of one attribute back to value bytes, one rule per VR (PS3.18 §F.2.3, PS3.5 §6.2).</summary>
internal static class DicomJsonValues
{
    public static byte[] Encode(DicomVR vr, JsonElement values, DicomCharacterSet charset)
    {
        switch (vr)
        {
            case DicomVR.US or DicomVR.SS or DicomVR.UL or DicomVR.SL or DicomVR.FL or DicomVR.FD or DicomVR.SV or DicomVR.UV:
                return Numbers(vr, values);
            case DicomVR.AT:
                var tags = new List<DicomTag>();
                foreach (var v in values.EnumerateArray()) tags.Add(DicomTag.Parse(Text(v)));
                return DicomValueCodec.EncodeTags(tags);
            case DicomVR.PN:
                return Strings(vr, values.EnumerateArray().Select(PersonName).ToList(), charset);
            case DicomVR.DS or DicomVR.IS:
                return Strings(vr, values.EnumerateArray().Select(v => DecimalText(vr, v)).ToList(), DicomCharacterSet.Default);
            default:
                return Strings(vr, values.EnumerateArray().Select(Text).ToList(), charset);
        }
    }

    private static byte[] Strings(DicomVR vr, IReadOnlyList<string> values, DicomCharacterSet charset)
    {
        var bytes = DicomValueCodec.EncodeStrings(vr, values, charset);
        if (vr.UsesCharacterSet && !charset.IsAsciiCompatible || values.Any(v => !System.Text.Ascii.IsValid(v)))
        {
            // Refuse rather than write '?' for text the declared character set cannot hold.
            var back = DicomValueCodec.DecodeString(vr, bytes, charset);
            var expected = string.Join('\\', values).TrimEnd(' ', '\0');
            if (back != expected)
                throw new FormatException($"'{expected}' cannot be encoded in Specific Character Set {charset}");
        }
        return bytes;
    }

    private static string Text(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null => "",
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.Number => v.GetRawText(),
        _ => throw new FormatException($"{v.ValueKind} is not a string value"),
    };

    /// <summary>PS3.18 §F.2.2: {"Alphabetic", "Ideographic", "Phonetic"} back to "A=I=P", trailing empty groups dropped.</summary>
    private static string PersonName(JsonElement v)
    {
        if (v.ValueKind != JsonValueKind.Object) return Text(v);
        string Group(string name) => v.TryGetProperty(name, out var g) && g.ValueKind == JsonValueKind.String ? g.GetString()! : "";
        return new DicomPersonName(Group("Alphabetic"), Group("Ideographic"), Group("Phonetic")).ToString();
    }

    /// <summary>DS and IS from a JSON number (or a string): the digits as written, when they fit the VR.</summary>
    private static string DecimalText(DicomVR vr, JsonElement v)
    {
        if (v.ValueKind != JsonValueKind.Number) return Text(v);
        var raw = v.GetRawText();
        if (vr == DicomVR.IS)
        {
            if (v.TryGetInt64(out var whole)) return whole.ToString(CultureInfo.InvariantCulture);
            var d = v.GetDouble();
            return d == Math.Floor(d) && Math.Abs(d) < 1e15 ? ((long)d).ToString(CultureInfo.InvariantCulture) : raw;
        }
        // DS holds at most 16 characters (PS3.5 Table 6.2-1).
        return raw.Length <= 16 ? raw : DicomValueCodec.FormatDecimalString(v.GetDouble());
    }

    private static byte[] Numbers(DicomVR vr, JsonElement values)
    {
        var size = vr.ValueSize;
        var bytes = new byte[values.GetArrayLength() * size];
        var i = 0;
        foreach (var v in values.EnumerateArray())
        {
            var b = bytes.AsSpan(i * size, size);
            switch (vr)
            {
                case DicomVR.US: BinaryPrimitives.WriteUInt16LittleEndian(b, ushort.CreateChecked(Integer(v))); break;
                case DicomVR.SS: BinaryPrimitives.WriteInt16LittleEndian(b, short.CreateChecked(Integer(v))); break;
                case DicomVR.UL: BinaryPrimitives.WriteUInt32LittleEndian(b, uint.CreateChecked(Integer(v))); break;
                case DicomVR.SL: BinaryPrimitives.WriteInt32LittleEndian(b, int.CreateChecked(Integer(v))); break;
                case DicomVR.SV: BinaryPrimitives.WriteInt64LittleEndian(b, long.CreateChecked(Integer(v))); break;
                case DicomVR.UV: BinaryPrimitives.WriteUInt64LittleEndian(b, ulong.CreateChecked(Integer(v))); break;
                case DicomVR.FL: BinaryPrimitives.WriteSingleLittleEndian(b, (float)Real(v)); break;
                case DicomVR.FD: BinaryPrimitives.WriteDoubleLittleEndian(b, Real(v)); break;
            }
            i++;
        }
        return bytes;
    }

    /// <summary>Integers as JSON numbers, or as strings (SV and UV beyond 2^53 may come as strings).</summary>
    private static Int128 Integer(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number or JsonValueKind.String => Int128.Parse(Text(v), NumberStyles.Integer, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"{v.ValueKind} is not an integer"),
    };

    /// <summary>Reals as JSON numbers, or as the strings NaN, Infinity and -Infinity that JSON numbers cannot spell.</summary>
    private static double Real(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number => v.GetDouble(),
        JsonValueKind.String => double.Parse(v.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw new FormatException($"{v.ValueKind} is not a number"),
    };
}
