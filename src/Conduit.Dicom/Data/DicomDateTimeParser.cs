using System.Globalization;

namespace Conduit.Dicom;

/// <summary>DA, TM and DT values (PS3.5 Table 6.2-1), including the partial forms the standard allows.</summary>
public static class DicomDateTimeParser
{
    public static DateOnly ParseDate(string value)
    {
        var s = value.Trim();
        // ACR-NEMA wrote dates as YYYY.MM.DD; PS3.5 still asks readers to accept it.
        if (s.Length == 10 && s[4] == '.' && s[7] == '.') s = s.Replace(".", "", StringComparison.Ordinal);
        return DateOnly.ParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture);
    }

    public static TimeOnly ParseTime(string value)
    {
        var s = value.Trim().Replace(":", "", StringComparison.Ordinal);
        var dot = s.IndexOf('.');
        var main = dot >= 0 ? s[..dot] : s;
        var hour = int.Parse(main[..2], CultureInfo.InvariantCulture);
        var minute = main.Length >= 4 ? int.Parse(main[2..4], CultureInfo.InvariantCulture) : 0;
        var second = main.Length >= 6 ? int.Parse(main[4..6], CultureInfo.InvariantCulture) : 0;
        var time = new TimeOnly(hour, minute, Math.Min(second, 59));
        if (dot >= 0 && dot + 1 < s.Length)
        {
            var frac = s[(dot + 1)..].PadRight(7, '0')[..7];
            time = time.Add(TimeSpan.FromTicks(long.Parse(frac, CultureInfo.InvariantCulture)));
        }
        return time;
    }

    public static DateTimeOffset ParseDateTime(string value)
    {
        var s = value.Trim();
        var offset = TimeSpan.Zero;
        var signAt = s.IndexOfAny(['+', '-'], Math.Min(4, s.Length));
        if (signAt > 0 && s.Length - signAt == 5)
        {
            var sign = s[signAt] == '-' ? -1 : 1;
            offset = sign * new TimeSpan(int.Parse(s.AsSpan(signAt + 1, 2), CultureInfo.InvariantCulture), int.Parse(s.AsSpan(signAt + 3, 2), CultureInfo.InvariantCulture), 0);
            s = s[..signAt];
        }
        var year = int.Parse(s[..4], CultureInfo.InvariantCulture);
        var month = s.Length >= 6 ? int.Parse(s[4..6], CultureInfo.InvariantCulture) : 1;
        var day = s.Length >= 8 ? int.Parse(s[6..8], CultureInfo.InvariantCulture) : 1;
        var time = s.Length > 8 ? ParseTime(s[8..]) : TimeOnly.MinValue;
        return new DateTimeOffset(new DateOnly(year, month, day), time, offset);
    }
}
