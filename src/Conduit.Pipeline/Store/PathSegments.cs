using System.Buffers;

namespace Conduit.Pipeline.Store;

/// <summary>Checks that values from the data (UIDs) or from configuration (step names, ids) are safe path segments.</summary>
public static class PathSegments
{
    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    /// <summary>
    /// A UID as PS3.5 §9.1 defines it: digits and dots, at most 64 characters, no empty component. Leading zeros in
    /// a component are tolerated (common in the field and harmless in a path); anything else is refused.
    /// </summary>
    public static bool IsValidUid(string? uid) => Files.SafePath.IsValidUid(uid);

    /// <summary>A name (job id, step name): letters, digits, '-', '_', '.', at most 128 characters, not '.' or '..'.</summary>
    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 128 && !name.AsSpan().ContainsAnyExcept(NameChars)
        && name is not "." and not "..";

    public static string Uid(string uid, string what) =>
        IsValidUid(uid) ? uid : throw new ArgumentException($"{what} '{Printable(uid)}' is not a valid UID (PS3.5 §9.1).", what);

    public static string Name(string name, string what) =>
        IsValidName(name) ? name : throw new ArgumentException($"{what} '{Printable(name)}' may only hold letters, digits, '-', '_' and '.'.", what);

    private static string Printable(string? value) =>
        value is null ? "(null)" : new string(value.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
