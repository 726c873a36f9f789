namespace Conduit.Pipeline.Ingest.Folders;

/// <summary>
/// Moves a folder to a path that does not exist yet: a rename when both are on one file system; otherwise (a
/// <c>move_to</c> on another disk or share, where a rename fails) a copy into a hidden partial folder beside the target,
/// renamed into place once complete, and only then is the source deleted. A failed copy leaves the source untouched and
/// removes the partial copy; a source that cannot be deleted after a complete copy is an <see cref="IOException"/> that
/// names the copy (what could be deleted of the source is gone, the rest stays).
/// </summary>
public static class FolderMove
{
    public static void Move(string source, string target)
    {
        try
        {
            Directory.Move(source, target);
            return;
        }
        catch (IOException) when (Directory.Exists(source) && !Directory.Exists(target))
        {
            // EXDEV (Unix) or ERROR_NOT_SAME_DEVICE (Windows): another file system. Copy instead.
        }

        var partial = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.partial-{Guid.NewGuid():N}");
        try
        {
            CopyTree(source, partial);
            Directory.Move(partial, target);
        }
        catch
        {
            TryDelete(partial);
            throw;
        }
        try
        {
            Directory.Delete(source, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"copied to {target}, but the original could not be deleted: {e.Message}", e);
        }
    }

    private static void CopyTree(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            File.Copy(file, copy);
            // The source is deleted next: the copy must be on disk first.
            using var handle = new FileStream(copy, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            handle.Flush(flushToDisk: true);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
