using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Conduit.Dicom.Network.Scp;

/// <summary>
/// The few file-system calls the store needs that .NET does not expose with the semantics wanted: fdatasync (data
/// and size, not timestamps), rename that refuses to replace (one syscall instead of stat + rename), and fsync of a
/// directory (the only way to make a rename durable on POSIX). Linux calls libc directly; elsewhere the portable
/// equivalents are used.
/// </summary>
internal static partial class DurableFiles
{
    private const int AtFdCwd = -100;
    private const uint RenameNoReplace = 1;
    private const int EExist = 17;
    private const int EIntr = 4;
    private const int ENoSys = 38;
    private const int EInval = 22;
    private const int ORdOnly = 0;
    private const int OCloexec = 0x80000; // the same on x86-64 and arm64 (O_DIRECTORY is not, so it is not used)
    private static volatile bool s_noRenameat2;

    /// <summary>Writes the file's data (and the metadata needed to read it back) to the disk: fdatasync(2).</summary>
    public static void FlushData(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            using var stream = new FileStream(handle, FileAccess.Write, bufferSize: 0);
            stream.Flush(flushToDisk: true);
            return;
        }
        while (fdatasync(handle) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != EIntr) throw new IOException($"fdatasync failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
    }

    /// <summary>
    /// Moves <paramref name="source"/> to <paramref name="target"/> atomically. Returns true when a file of that name
    /// existed and was replaced (a duplicate instance). One renameat2(RENAME_NOREPLACE) in the common case.
    /// </summary>
    public static bool MoveIntoPlace(string source, string target)
    {
        if (OperatingSystem.IsLinux() && !s_noRenameat2)
        {
            if (renameat2(AtFdCwd, source, AtFdCwd, target, RenameNoReplace) == 0) return false;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EExist)
            {
                File.Move(source, target, overwrite: true);
                return true;
            }
            if (errno is ENoSys or EInval) s_noRenameat2 = true; // old kernel or a file system without the flag
            else if (errno == 2) throw new DirectoryNotFoundException($"cannot move '{source}' to '{target}': no such file or directory");
            else throw new IOException($"cannot move '{source}' to '{target}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
        var replaced = File.Exists(target);
        File.Move(source, target, overwrite: true);
        return replaced;
    }

    /// <summary>fsync(2) of a directory: makes the names created or renamed in it durable. No-op where not supported.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux()) return; // Windows has no directory fsync; NTFS journals renames itself
        var fd = open(directory, ORdOnly | OCloexec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"cannot open directory '{directory}' to sync it: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
        try
        {
            while (fsync(fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno != EIntr) throw new IOException($"fsync of directory '{directory}' failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
        }
        finally
        {
            close(fd);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fdatasync(SafeFileHandle fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fsync(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int renameat2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);
}
