namespace Conduit.Pipeline.Ingest.Folders;

/// <summary>Which subfolders of a watched folder are batches to take, and which are left alone.</summary>
public static class ReadyFolders
{
    /// <summary>Suffix of a folder with a refused file: left for a person, never taken again.</summary>
    public const string ErrorSuffix = ".err";

    /// <summary>Suffix of a folder kept in place after import (<c>on_success: keep</c>), so it is not taken again.</summary>
    public const string DoneSuffix = ".done";

    /// <summary>
    /// A sender copies into <c>ST-000001.tmp123</c> and renames when done: a name whose extension starts with
    /// <c>tmp</c> is still being written. Hidden names (leading dot) and our own <c>.err</c>/<c>.done</c> are skipped too.
    /// </summary>
    public static bool IsCandidate(string name)
    {
        if (name.Length == 0 || name[0] == '.') return false;
        var extension = Path.GetExtension(name);
        return !extension.StartsWith(".tmp", StringComparison.OrdinalIgnoreCase)
            && !extension.Equals(ErrorSuffix, StringComparison.OrdinalIgnoreCase)
            && !extension.Equals(DoneSuffix, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The newest write time in the folder (itself, its files and subfolders): it is settled when that is old enough.</summary>
    public static DateTime LastChangeUtc(string folder)
    {
        var newest = Directory.GetLastWriteTimeUtc(folder);
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry.LastWriteTimeUtc > newest) newest = entry.LastWriteTimeUtc;
        }
        return newest;
    }

    /// <summary>
    /// <paramref name="path"/> + <paramref name="suffix"/> if free, else <c>path-2</c> + suffix, <c>path-3</c> + suffix…
    /// (a folder of the same name may already be there). The number goes before the suffix so that a <c>.done</c> or
    /// <c>.err</c> mark stays the extension, and the folder is never taken again.
    /// </summary>
    public static string FreeName(string path, string suffix = "")
    {
        var candidate = path + suffix;
        for (var n = 2; Directory.Exists(candidate) || File.Exists(candidate); n++) candidate = $"{path}-{n}{suffix}";
        return candidate;
    }
}
