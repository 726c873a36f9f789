namespace Conduit.Auth;

/// <summary>What a user or token name may be: 1 to 64 letters, digits, '.', '_', '-' or '@' (no spaces, no ':' which Basic uses).</summary>
internal static class UserNames
{
    public const int MaxLength = 64;

    public static string? Problem(string name) =>
        name.Length is > 0 and <= MaxLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@')
            ? null
            : $"'{name}' is not a valid name: use 1 to {MaxLength} letters, digits, '.', '_', '-' or '@'";

    /// <summary>A name from a request as it may go in a log line: printable, short (a hostile name must not forge log lines).</summary>
    public static string ForLog(string name)
    {
        var clean = new string(name.Take(MaxLength).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return name.Length > MaxLength ? clean + "..." : clean;
    }
}
