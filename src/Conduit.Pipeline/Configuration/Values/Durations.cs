using System.Globalization;
using System.Text;

namespace Conduit.Pipeline.Configuration.Values;

/// <summary>
/// Durations as people write them in YAML: <c>30s</c>, <c>10m</c>, <c>1h30m</c>, <c>7d</c>, <c>500ms</c>, or a bare
/// number of seconds (what DicomFlow's <c>timeout: 1800</c> means).
/// </summary>
public static class Durations
{
    public const string Examples = "e.g. 30s, 10m, 1h";

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds > (long)TimeSpan.MaxValue.TotalSeconds) return false;
            value = TimeSpan.FromSeconds(seconds);
            return true;
        }
        var total = 0.0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i == start) return false;
            if (!double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return false;
            var unitStart = i;
            while (i < s.Length && char.IsAsciiLetter(s[i])) i++;
            double? unitMs = s[unitStart..i] switch
            {
                "ms" => 1,
                "s" => 1000,
                "m" => 60_000,
                "h" => 3_600_000,
                "d" => 86_400_000,
                _ => null,
            };
            if (unitMs is null) return false;
            total += number * unitMs.Value;
        }
        if (total > TimeSpan.MaxValue.TotalMilliseconds) return false;
        value = TimeSpan.FromMilliseconds(total);
        return true;
    }

    /// <summary>The shortest text that parses back to the same value: <c>1h30m</c>, <c>10s</c>, <c>250ms</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero) return "0s";
        var sb = new StringBuilder();
        var rest = value;
        void Part(TimeSpan unit, string suffix)
        {
            var n = (long)(rest.Ticks / unit.Ticks);
            if (n == 0) return;
            sb.Append(n.ToString(CultureInfo.InvariantCulture)).Append(suffix);
            rest -= TimeSpan.FromTicks(n * unit.Ticks);
        }
        Part(TimeSpan.FromDays(1), "d");
        Part(TimeSpan.FromHours(1), "h");
        Part(TimeSpan.FromMinutes(1), "m");
        Part(TimeSpan.FromSeconds(1), "s");
        Part(TimeSpan.FromMilliseconds(1), "ms");
        return sb.Length == 0 ? "0s" : sb.ToString();
    }
}
