using System.Globalization;

namespace Conduit.Pipeline.Store;

/// <summary>
/// Timestamps are stored as fixed-width ISO 8601 text in UTC (<c>2026-11-30T03:40:08.1234567Z</c>): they sort as
/// text, read the same in any SQL client, and map onto PostgreSQL's <c>timestamptz</c> without conversion rules.
/// </summary>
public static class UtcTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string ToText(DateTimeOffset value) =>
        value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static string? ToText(DateTimeOffset? value) => value is { } v ? ToText(v) : null;

    public static DateTimeOffset Parse(string text) =>
        new(DateTime.ParseExact(text, Format, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero);
}
