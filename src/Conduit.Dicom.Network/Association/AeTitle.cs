namespace Conduit.Dicom.Network.Association;

/// <summary>Application Entity titles (PS3.5 §6.2, VR AE): 1-16 characters of the default repertoire, no backslash or control characters, not only spaces.</summary>
public static class AeTitle
{
    public const int MaxLength = 16;

    public static bool IsValid(string? title) =>
        title is { Length: > 0 and <= MaxLength }
        && title.Trim().Length > 0
        && title.All(c => c >= 0x20 && c < 0x7F && c != '\\');

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="what"/> when the title is not valid.</summary>
    public static string Validate(string? title, string what) =>
        IsValid(title)
            ? title!.Trim()
            : throw new ArgumentException($"{what}: '{title}' is not a valid AE title (1-16 printable ASCII characters, no backslash, not only spaces)");
}
