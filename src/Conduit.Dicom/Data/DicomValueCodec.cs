using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using Conduit.Dicom.Text;

namespace Conduit.Dicom;

/// <summary>Turns value bytes into typed values and back, one rule per VR (PS3.5 §6.2). Bytes are little-endian.</summary>
public static class DicomValueCodec
{
    public static DicomTextKind TextKind(DicomVR vr) => vr switch
    {
        DicomVR.PN => DicomTextKind.PersonName,
        DicomVR.LT or DicomVR.ST or DicomVR.UT or DicomVR.UR => DicomTextKind.SingleValued,
        _ => DicomTextKind.MultiValued,
    };

    /// <summary>Removes the padding PS3.5 §6.2 calls insignificant: trailing spaces and NULs always, leading spaces where the VR allows.</summary>
    public static string TrimValue(DicomVR vr, string value)
    {
        var s = value.TrimEnd(' ', '\0');
        // UC, like LT, ST and UT, "may be padded with trailing spaces" only: its leading spaces are part of the value.
        return vr is DicomVR.AE or DicomVR.CS or DicomVR.DS or DicomVR.IS or DicomVR.LO or DicomVR.SH or DicomVR.UI
            ? s.TrimStart(' ')
            : s;
    }

    /// <summary>The values of a string element, split on backslash (except LT, ST, UT, UR) and trimmed.</summary>
    public static IReadOnlyList<string> DecodeStrings(DicomVR vr, ReadOnlySpan<byte> bytes, DicomCharacterSet charset)
    {
        if (bytes.IsEmpty) return [];
        var cs = vr.UsesCharacterSet ? charset : DicomCharacterSet.Default;
        var kind = TextKind(vr);
        var raw = cs.DecodeValues(bytes, kind);
        var result = new string[raw.Count];
        for (var i = 0; i < raw.Count; i++) result[i] = TrimValue(vr, raw[i]);
        return result;
    }

    /// <summary>The whole value as one string with backslashes kept, trailing padding removed.</summary>
    public static string DecodeString(DicomVR vr, ReadOnlySpan<byte> bytes, DicomCharacterSet charset)
    {
        if (bytes.IsEmpty) return string.Empty;
        var cs = vr.UsesCharacterSet ? charset : DicomCharacterSet.Default;
        return cs.Decode(bytes, TextKind(vr)).TrimEnd(' ', '\0');
    }

    /// <summary>Encodes string values joined with backslash, padded to even length with the VR's padding byte.</summary>
    public static byte[] EncodeStrings(DicomVR vr, IReadOnlyList<string> values, DicomCharacterSet charset)
    {
        var cs = vr.UsesCharacterSet ? charset : DicomCharacterSet.Default;
        var joined = string.Join('\\', values);
        var bytes = cs.Encode(joined, TextKind(vr));
        if ((bytes.Length & 1) == 0) return bytes;
        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = vr.PaddingByte;
        return padded;
    }

    /// <summary>Numeric values of a binary VR (US, SS, UL, SL, FL, FD, SV, UV, AT, OB, OW, OL, OF, OD, OV) or of IS/DS text.</summary>
    public static T[] DecodeNumbers<T>(DicomVR vr, ReadOnlySpan<byte> bytes) where T : INumber<T>
    {
        switch (vr)
        {
            case DicomVR.US or DicomVR.OW: return Convert<ushort, T>(bytes);
            case DicomVR.SS: return Convert<short, T>(bytes);
            case DicomVR.UL or DicomVR.OL: return Convert<uint, T>(bytes);
            case DicomVR.AT: return Array.ConvertAll(DecodeTags(bytes), t => T.CreateChecked(t.Value));
            case DicomVR.SL: return Convert<int, T>(bytes);
            case DicomVR.FL or DicomVR.OF: return Convert<float, T>(bytes);
            case DicomVR.FD or DicomVR.OD: return Convert<double, T>(bytes);
            case DicomVR.SV: return Convert<long, T>(bytes);
            case DicomVR.UV or DicomVR.OV: return Convert<ulong, T>(bytes);
            case DicomVR.OB or DicomVR.UN: return Convert<byte, T>(bytes);
            case DicomVR.IS or DicomVR.DS:
                var text = DicomDataset.DecodeAscii(bytes).Split('\\');
                if (text.Length == 1 && text[0].Trim(' ', '\0').Length == 0) return [];
                var result = new T[text.Length];
                for (var i = 0; i < text.Length; i++)
                {
                    var t = text[i].Trim(' ', '\0');
                    if (T.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                        result[i] = v!;
                    else if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && TryCreate<T>(d, out var c))
                        result[i] = c;
                    else
                        throw new FormatException($"'{t}' is not a valid {vr.Code} value.");
                }
                return result;
            default:
                throw new InvalidOperationException($"VR {vr.Code} does not hold numbers.");
        }
    }

    private static bool TryCreate<T>(double d, out T value) where T : INumber<T>
    {
        try
        {
            value = T.CreateChecked(d);
            return true;
        }
        catch (OverflowException)
        {
            value = T.Zero;
            return false;
        }
    }

    private static TOut[] Convert<TIn, TOut>(ReadOnlySpan<byte> bytes) where TIn : unmanaged, INumber<TIn> where TOut : INumber<TOut>
    {
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<TIn>();
        var n = bytes.Length / size;
        var values = MemoryMarshal.Cast<byte, TIn>(bytes[..(n * size)]);
        var result = new TOut[n];
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Conduit.Dicom assumes a little-endian CPU.");
        for (var i = 0; i < n; i++) result[i] = TOut.CreateChecked(values[i]);
        return result;
    }

    /// <summary>Encodes numbers for a binary VR, or as text for IS and DS (padded to even length).</summary>
    public static byte[] EncodeNumbers<T>(DicomVR vr, IReadOnlyList<T> values) where T : INumber<T>
    {
        switch (vr)
        {
            case DicomVR.US or DicomVR.OW: return Pack<T, ushort>(values);
            case DicomVR.SS: return Pack<T, short>(values);
            case DicomVR.UL or DicomVR.OL: return Pack<T, uint>(values);
            // An AT number is the tag value 0xGGGGEEEE, written group first (PS3.5 §6.2), not as one 32-bit integer.
            case DicomVR.AT: return EncodeTags(values.Select(v => new DicomTag(uint.CreateChecked(v))).ToArray());
            case DicomVR.SL: return Pack<T, int>(values);
            case DicomVR.FL or DicomVR.OF: return Pack<T, float>(values);
            case DicomVR.FD or DicomVR.OD: return Pack<T, double>(values);
            case DicomVR.SV: return Pack<T, long>(values);
            case DicomVR.UV or DicomVR.OV: return Pack<T, ulong>(values);
            case DicomVR.OB or DicomVR.UN: return Pack<T, byte>(values);
            case DicomVR.IS:
                return EncodeStrings(vr, values.Select(FormatIntegerString).ToArray(), DicomCharacterSet.Default);
            case DicomVR.DS:
                return EncodeStrings(vr, values.Select(v => FormatDecimalString(double.CreateChecked(v))).ToArray(), DicomCharacterSet.Default);
            default:
                throw new InvalidOperationException($"VR {vr.Code} does not hold numbers.");
        }
    }

    /// <summary>
    /// A DS value fits in 16 characters (PS3.5 Table 6.2-1): shortest round-trip form, else fewer significant digits.
    /// NaN and infinity have no DS form.
    /// </summary>
    public static string FormatDecimalString(double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, "A DS value must be a finite number.");
        var s = value.ToString("R", CultureInfo.InvariantCulture);
        // Rounding near double.MaxValue can give text that reads back as infinity: drop another digit then.
        for (var digits = 15; (s.Length > 16 || !double.IsFinite(double.Parse(s, CultureInfo.InvariantCulture))) && digits > 1; digits--)
            s = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return s;
    }

    /// <summary>An IS value is an integer in -2^31 ≤ n ≤ 2^31 - 1 (PS3.5 Table 6.2-1); a fraction is refused, not truncated.</summary>
    public static string FormatIntegerString<T>(T value) where T : INumber<T>
    {
        if (!T.IsInteger(value) || value < T.CreateSaturating(int.MinValue) || value > T.CreateSaturating(int.MaxValue))
            throw new ArgumentOutOfRangeException(nameof(value), value, "An IS value must be an integer from -2147483648 to 2147483647.");
        return int.CreateChecked(value).ToString(CultureInfo.InvariantCulture);
    }

    private static byte[] Pack<TIn, TOut>(IReadOnlyList<TIn> values) where TIn : INumber<TIn> where TOut : unmanaged, INumber<TOut>
    {
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<TOut>();
        var bytes = new byte[values.Count * size];
        var span = MemoryMarshal.Cast<byte, TOut>(bytes.AsSpan());
        for (var i = 0; i < values.Count; i++) span[i] = TOut.CreateChecked(values[i]);
        if ((bytes.Length & 1) == 1) Array.Resize(ref bytes, bytes.Length + 1);
        return bytes;
    }

    /// <summary>AT values: each is a tag written as two 16-bit numbers, group first.</summary>
    public static DicomTag[] DecodeTags(ReadOnlySpan<byte> bytes)
    {
        var result = new DicomTag[bytes.Length / 4];
        for (var i = 0; i < result.Length; i++)
        {
            var g = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 4)..]);
            var e = BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 4 + 2)..]);
            result[i] = new DicomTag(g, e);
        }
        return result;
    }

    public static byte[] EncodeTags(IReadOnlyList<DicomTag> tags)
    {
        var bytes = new byte[tags.Count * 4];
        for (var i = 0; i < tags.Count; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4), tags[i].Group);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4 + 2), tags[i].Element);
        }
        return bytes;
    }
}
