using Conduit.Dicom.Network.Dimse;

namespace Conduit.Pipeline.Files;

/// <summary>
/// Turns values that come from DICOM data (UIDs, tag values) into path segments without letting them climb out of
/// the folder they are meant for: the data is the peer's, not ours.
/// </summary>
public static class SafePath
{
    /// <summary>
    /// True for a UID the receiver also accepts (<see cref="DicomUidValidator"/>: digits and dots, at most 64
    /// characters, no empty component): one rule from the SCP to every destination, and always a safe file name.
    /// </summary>
    public static bool IsValidUid(string? uid) => DicomUidValidator.IsValid(uid);

    /// <summary>The UID as a path segment; throws <see cref="ArgumentException"/> naming the field when it is not a valid UID.</summary>
    public static string UidSegment(string uid, string what) =>
        IsValidUid(uid) ? uid : throw new ArgumentException($"{what} '{Printable(uid)}' is not a valid UID: refusing to use it in a path");

    /// <summary>
    /// A tag value as one path segment: characters outside [A-Za-z0-9._-] become '_', runs of dots cannot form '.' or
    /// '..', length is capped at 64, and an empty value becomes "_". Used for input layouts by tag value.
    /// </summary>
    public static string Segment(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return "_";
        var trimmed = value.Trim();
        Span<char> buffer = stackalloc char[Math.Min(trimmed.Length, 64)];
        for (var i = 0; i < buffer.Length; i++)
        {
            var c = trimmed[i];
            buffer[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_';
        }
        var segment = new string(buffer);
        return segment.Trim('.').Length == 0 ? "_" + segment.Replace('.', '_') : segment;
    }

    private static string Printable(string value)
    {
        var cut = value.Length > 80 ? value[..80] + "..." : value;
        return string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c));
    }
}
