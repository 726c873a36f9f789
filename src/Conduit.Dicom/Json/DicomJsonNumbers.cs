using System.Globalization;

namespace Conduit.Dicom;

/// <summary>DS and IS text as JSON numbers (PS3.18 §F.2.3), keeping the digits the file had where JSON allows them.</summary>
internal static class DicomJsonNumbers
{
    /// <summary>
    /// The value as JSON number text: unchanged when it already is one (RFC 8259 §6), else normalised ("+1" → "1",
    /// ".5" → "0.5", "1." → "1"); false for text that is no finite number.
    /// </summary>
    public static bool TryToJsonNumber(string text, out string json)
    {
        if (IsJsonNumber(text))
        {
            json = text;
            return true;
        }
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var m))
        {
            json = m.ToString(CultureInfo.InvariantCulture);
            return true;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            json = d.ToString("R", CultureInfo.InvariantCulture);
            return true;
        }
        json = "";
        return false;
    }

    /// <summary>RFC 8259 §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?</summary>
    public static bool IsJsonNumber(ReadOnlySpan<char> s)
    {
        var i = 0;
        if (i < s.Length && s[i] == '-') i++;
        if (i >= s.Length) return false;
        if (s[i] == '0') i++;
        else if (s[i] is >= '1' and <= '9') i = Digits(s, i);
        else return false;
        if (i < s.Length && s[i] == '.')
        {
            var start = ++i;
            i = Digits(s, i);
            if (i == start) return false;
        }
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-') i++;
            var start = i;
            i = Digits(s, i);
            if (i == start) return false;
        }
        return i == s.Length;
    }

    private static int Digits(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && s[i] is >= '0' and <= '9') i++;
        return i;
    }
}
