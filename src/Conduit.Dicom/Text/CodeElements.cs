namespace Conduit.Dicom.Text;

/// <summary>
/// Every ISO 2022 code element DICOM defines (PS3.3 C.12.1.1.2, Tables C.12-3 and C.12-4), with its escape sequence.
/// </summary>
internal static class CodeElements
{
    private const byte Esc = TextDelimiters.Escape;

    /// <summary>ISO-IR 6 (ASCII) in G0: ESC ( B.</summary>
    public static readonly SingleByteCodeElement Ascii = new("ISO-IR 6", [Esc, 0x28, 0x42], false, IdentityLow);

    /// <summary>
    /// ISO-IR 14 (JIS X 0201 Romaji) in G0: ESC ( J. Decoded as ASCII: 0x5C is the DICOM value delimiter byte,
    /// so it stays '\' (not YEN SIGN), and 0x7E stays '~' (not OVERLINE); this keeps delimiters and round trips intact.
    /// </summary>
    public static readonly SingleByteCodeElement JisRomaji = new("ISO-IR 14", [Esc, 0x28, 0x4A], false, IdentityLow);

    /// <summary>ISO-IR 13 (JIS X 0201 Katakana) in G1: ESC ) I; 0xA1-0xDF are the half-width katakana U+FF61-U+FF9F.</summary>
    public static readonly SingleByteCodeElement JisKatakana = new("ISO-IR 13", [Esc, 0x29, 0x49], true, KatakanaTable);

    public static readonly SingleByteCodeElement Latin1 = Iso8859("ISO-IR 100", 0x41, 28591);
    public static readonly SingleByteCodeElement Latin2 = Iso8859("ISO-IR 101", 0x42, 28592);
    public static readonly SingleByteCodeElement Latin3 = Iso8859("ISO-IR 109", 0x43, 28593);
    public static readonly SingleByteCodeElement Latin4 = Iso8859("ISO-IR 110", 0x44, 28594);
    public static readonly SingleByteCodeElement Cyrillic = Iso8859("ISO-IR 144", 0x4C, 28595);
    public static readonly SingleByteCodeElement Arabic = Iso8859("ISO-IR 127", 0x47, 28596);
    public static readonly SingleByteCodeElement Greek = Iso8859("ISO-IR 126", 0x46, 28597);
    public static readonly SingleByteCodeElement Hebrew = Iso8859("ISO-IR 138", 0x48, 28598);
    public static readonly SingleByteCodeElement Latin5 = Iso8859("ISO-IR 148", 0x4D, 28599);
    public static readonly SingleByteCodeElement Latin9 = Iso8859("ISO-IR 203", 0x62, 28605);

    /// <summary>ISO-IR 166 (TIS 620) in G1: ESC - T; decoded through windows-874, a superset of TIS 620.</summary>
    public static readonly SingleByteCodeElement Thai = Iso8859("ISO-IR 166", 0x54, 874);

    /// <summary>ISO-IR 87 (JIS X 0208) in G0: ESC $ B; through EUC-JP (code page 20932).</summary>
    public static readonly DoubleByteCodeElement JisX0208 = new("ISO-IR 87", [Esc, 0x24, 0x42], false, 20932, secondByteHigh: true);

    /// <summary>
    /// ISO-IR 159 (JIS X 0212) in G0: ESC $ ( D. .NET has no JIS X 0212 codec and its EUC-JP lacks the 0x8F three-byte
    /// form, but code page 20932 maps JIS X 0212 as (first | 0x80, second), which is what is used here. It agrees with
    /// the JIS X 0212 table on every code it has; it lacks only 0x2237 (TILDE) and 0x2271 (NUMERO SIGN), which decode
    /// to U+FFFD.
    /// </summary>
    public static readonly DoubleByteCodeElement JisX0212 = new("ISO-IR 159", [Esc, 0x24, 0x28, 0x44], false, 20932, secondByteHigh: false);

    /// <summary>ISO-IR 149 (KS X 1001) in G1: ESC $ ) C; through EUC-KR (code page 51949).</summary>
    public static readonly DoubleByteCodeElement KsX1001 = new("ISO-IR 149", [Esc, 0x24, 0x29, 0x43], true, 51949, secondByteHigh: true);

    /// <summary>ISO-IR 58 (GB 2312) in G1: ESC $ ) A; through code page 936 restricted to the GB 2312 rows.</summary>
    public static readonly DoubleByteCodeElement Gb2312 = new("ISO-IR 58", [Esc, 0x24, 0x29, 0x41], true, 936, secondByteHigh: true);

    // Note: the Microsoft code pages behind the two-byte sets also map vendor rows (NEC/IBM extensions in 20932, GBK
    // rows are excluded by the 0xA1-0xFE check) and follow Microsoft's conventions for a few codes (GB 2312 0xA1A4 is
    // U+00B7, 0xA1AA U+2014). Such characters decode and round-trip, but other toolkits may map them differently.

    /// <summary>All elements an escape sequence may designate, whatever (0008,0005) listed (decoding is lenient).</summary>
    public static readonly CodeElement[] All =
    [
        Ascii, JisRomaji, JisKatakana, Latin1, Latin2, Latin3, Latin4, Cyrillic, Arabic, Greek, Hebrew, Latin5, Latin9, Thai,
        JisX0208, JisX0212, KsX1001, Gb2312,
    ];

    /// <summary>Finds the element whose escape sequence starts <paramref name="bytes"/> (which begins with ESC).</summary>
    public static CodeElement? MatchEscape(ReadOnlySpan<byte> bytes)
    {
        foreach (var element in All)
        {
            if (bytes.StartsWith(element.Escape))
                return element;
        }
        return null;
    }

    private static SingleByteCodeElement Iso8859(string name, byte final, int codePage) =>
        new(name, [Esc, 0x2D, final], true, () => HighTable(codePage));

    private static char[] IdentityLow()
    {
        var table = new char[256];
        Array.Fill(table, '\uFFFD');
        for (var b = 0; b < 0x80; b++)
            table[b] = (char)b;
        return table;
    }

    private static char[] KatakanaTable()
    {
        var table = new char[256];
        Array.Fill(table, '\uFFFD');
        for (var b = 0xA1; b <= 0xDF; b++)
            table[b] = (char)(0xFF61 + (b - 0xA1));
        return table;
    }

    private static char[] HighTable(int codePage)
    {
        var encoding = CodePages.Strict(codePage);
        var table = new char[256];
        Array.Fill(table, '\uFFFD');
        Span<byte> one = stackalloc byte[1];
        Span<char> chars = stackalloc char[4];
        for (var b = 0x80; b <= 0xFF; b++)
        {
            one[0] = (byte)b;
            if (encoding.GetChars(one, chars) == 1)
                table[b] = chars[0];
        }
        return table;
    }
}
