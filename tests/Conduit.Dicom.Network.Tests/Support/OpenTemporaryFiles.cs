namespace Conduit.Dicom.Network.Tests.Support;

/// <summary>
/// The unnamed temporary files (O_TMPFILE) a process holds open in a folder, read from /proc/PID/fd: such a file has
/// no directory entry, so a leftover (an instance never finished whose file was not closed) shows only there, as a
/// link to "FOLDER/#INODE (deleted)".
/// </summary>
internal static class OpenTemporaryFiles
{
    /// <summary>Sizes of the unnamed files process <paramref name="pid"/> holds open in <paramref name="folder"/>.</summary>
    public static long[] Sizes(int pid, string folder)
    {
        var prefix = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + "/#";
        var sizes = new List<long>();
        foreach (var entry in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            try
            {
                var target = File.ResolveLinkTarget(entry, returnFinalTarget: false)?.FullName;
                if (target is null || !target.StartsWith(prefix, StringComparison.Ordinal) || !target.EndsWith(" (deleted)", StringComparison.Ordinal)) continue;
                // Opening /proc/PID/fd/N opens the file itself, which is how a file without a name is read.
                using var handle = File.OpenHandle(entry, FileMode.Open, FileAccess.Read);
                sizes.Add(RandomAccess.GetLength(handle));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Closed between the listing and the look: not open any more.
            }
        }
        return [.. sizes];
    }

    /// <summary>How many of them hold bytes: what a stored, refused or abandoned instance must not leave open.</summary>
    public static int WithBytes(int pid, string folder) => Sizes(pid, folder).Count(size => size > 0);
}
