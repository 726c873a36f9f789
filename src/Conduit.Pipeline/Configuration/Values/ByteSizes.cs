using System.Globalization;

namespace Conduit.Pipeline.Configuration.Values;

/// <summary>Sizes as Docker writes them: a byte count, or a number with b, k, m, g (binary multiples, as docker's mem_limit).</summary>
public static class ByteSizes
{
    public const string Examples = "e.g. 512m, 4g, or a number of bytes";

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim().ToLowerInvariant();
        if (s.EndsWith('b') && s.Length > 1 && !char.IsAsciiDigit(s[^2])) s = s[..^1]; // "512mb" → "512m"
        long multiplier = 1;
        switch (s[^1])
        {
            case 'k': multiplier = 1L << 10; s = s[..^1]; break;
            case 'm': multiplier = 1L << 20; s = s[..^1]; break;
            case 'g': multiplier = 1L << 30; s = s[..^1]; break;
            case 't': multiplier = 1L << 40; s = s[..^1]; break;
            case 'b': s = s[..^1]; break;
        }
        if (!double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || n <= 0) return false;
        var value = n * multiplier;
        if (value > long.MaxValue) return false;
        bytes = (long)value;
        return true;
    }
}
