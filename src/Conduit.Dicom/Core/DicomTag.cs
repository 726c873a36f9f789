using System.Globalization;

namespace Conduit.Dicom;

/// <summary>A DICOM attribute tag (group, element) packed into one <see cref="uint"/> as 0xGGGGEEEE.</summary>
public readonly record struct DicomTag(uint Value) : IComparable<DicomTag>
{
    public DicomTag(ushort group, ushort element) : this(((uint)group << 16) | element) { }

    public ushort Group => (ushort)(Value >> 16);
    public ushort Element => (ushort)Value;

    /// <summary>Odd groups other than 1, 3, 5, 7 and FFFF are private (PS3.5 §7.8.1).</summary>
    public bool IsPrivate => (Group & 1) == 1 && Group > 0x0007 && Group != 0xFFFF;

    /// <summary>(gggg,00xx) with xx in 10..FF: a private creator element that reserves a block.</summary>
    public bool IsPrivateCreator => IsPrivate && Element >= 0x0010 && Element <= 0x00FF;

    /// <summary>(gggg,0000): a group length element (PS3.5 §7.2).</summary>
    public bool IsGroupLength => Element == 0x0000;

    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    public static bool operator <(DicomTag a, DicomTag b) => a.Value < b.Value;
    public static bool operator >(DicomTag a, DicomTag b) => a.Value > b.Value;
    public static bool operator <=(DicomTag a, DicomTag b) => a.Value <= b.Value;
    public static bool operator >=(DicomTag a, DicomTag b) => a.Value >= b.Value;

    /// <summary>"(gggg,eeee)" in upper-case hex, as dcmdump prints it.</summary>
    public override string ToString() => string.Create(11, Value, static (span, v) =>
    {
        span[0] = '(';
        ((ushort)(v >> 16)).TryFormat(span[1..], out _, "X4", CultureInfo.InvariantCulture);
        span[5] = ',';
        ((ushort)v).TryFormat(span[6..], out _, "X4", CultureInfo.InvariantCulture);
        span[10] = ')';
    });

    /// <summary>"GGGGEEEE", the key form DICOM JSON uses (PS3.18 §F.2.1).</summary>
    public string ToJsonKey() => Value.ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>Parses "(gggg,eeee)", "gggg,eeee", "ggggeeee" or a dictionary keyword.</summary>
    public static DicomTag Parse(string text)
    {
        if (TryParse(text, out var tag)) return tag;
        throw new FormatException($"'{text}' is neither a tag like (0010,0010) nor a known keyword.");
    }

    public static bool TryParse(string? text, out DicomTag tag)
    {
        tag = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.AsSpan().Trim();
        if (s.Length > 0 && s[0] == '(' && s[^1] == ')') s = s[1..^1];
        if (s.Length == 9 && s[4] == ',')
        {
            if (ushort.TryParse(s[..4], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var g) &&
                ushort.TryParse(s[5..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var e))
            {
                tag = new DicomTag(g, e);
                return true;
            }
            return false;
        }
        if (s.Length == 8 && uint.TryParse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v))
        {
            tag = new DicomTag(v);
            return true;
        }
        var entry = DicomDictionary.FindByKeyword(s.ToString());
        if (entry is null) return false;
        tag = entry.Tag;
        return true;
    }

    // Delimitation items (PS3.5 §7.5).
    public static readonly DicomTag Item = new(0xFFFEE000);
    public static readonly DicomTag ItemDelimitationItem = new(0xFFFEE00D);
    public static readonly DicomTag SequenceDelimitationItem = new(0xFFFEE0DD);
}
