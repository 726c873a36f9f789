namespace Conduit.Pipeline.Configuration.Values;

/// <summary>Application Entity titles as PS3.5 §6.2 (VR AE) allows them.</summary>
public static class AeTitles
{
    public const int MaxLength = 16;

    /// <summary>Null when <paramref name="title"/> is a valid AE title, else why not.</summary>
    public static string? Problem(string? title)
    {
        // PS3.5 §6.2: at most 16 characters of the default repertoire, no backslash, no control characters;
        // leading and trailing spaces are not significant, so an all-space title is empty.
        if (string.IsNullOrWhiteSpace(title)) return "an AE title may not be empty";
        if (title.Length > MaxLength) return $"'{title}' is longer than {MaxLength} characters, the AE title limit (PS3.5 §6.2)";
        foreach (var c in title)
        {
            if (c == '\\') return $"'{title}' contains a backslash, which an AE title may not (PS3.5 §6.2)";
            if (c < 0x20 || c > 0x7E) return $"'{title}' contains a character outside printable ASCII, which an AE title may not (PS3.5 §6.2)";
        }
        return null;
    }
}
