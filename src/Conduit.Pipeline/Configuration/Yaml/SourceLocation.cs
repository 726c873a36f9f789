using System.Globalization;

namespace Conduit.Pipeline.Configuration.Yaml;

/// <summary>A place in a text file: the path as the user should read it, and a 1-based line and column.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    /// <summary>"file:line:col", the form compilers and editors understand.</summary>
    public override string ToString() =>
        Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}")
            : File;

    /// <summary>
    /// The path to show for a file: relative to the working directory when it lies below it (short, and what the user
    /// typed), absolute otherwise.
    /// </summary>
    public static string DisplayPath(string path)
    {
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, full);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? full : relative;
    }
}
