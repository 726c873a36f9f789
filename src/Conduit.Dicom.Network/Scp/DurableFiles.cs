using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Conduit.Dicom.Network.Scp;

/// <summary>
/// The few file-system calls the store needs that .NET does not expose with the semantics wanted: fdatasync (data
/// and size, not timestamps), rename that refuses to replace (one syscall instead of stat + rename), fsync of a
/// directory (the only way to make a rename durable on POSIX), and unnamed temporary files (open(2) with O_TMPFILE,
/// later given their name with linkat(2)). Linux calls libc directly; elsewhere the portable equivalents are used.
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
    private const int ORdWr = 2;
    private const int OCloexec = 0x80000; // the same on x86-64 and arm64 (O_DIRECTORY is not, so it is not used)
    private const int AtSymlinkFollow = 0x400;
    private const int EIsDir = 21;
    private const int EOpNotSupp = 95;
    private static volatile bool s_noRenameat2;

    /// <summary>
    /// O_TMPFILE, which includes O_DIRECTORY (so a kernel without O_TMPFILE fails with EISDIR instead of creating
    /// something): 020000000 | 0200000 on x86, 020000000 | 040000 on arm (asm-generic/fcntl.h and the arm headers).
    /// 0 where the value is not known.
    /// </summary>
    private static readonly int s_oTmpFile = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x410000,
        Architecture.Arm64 or Architecture.Arm => 0x404000,
        _ => 0,
    };

    /// <summary>
    /// Whether <see cref="TryCreateUnnamed"/> can work here at all: Linux, a known O_TMPFILE value, and /proc (the
    /// file is named through /proc/self/fd, which needs no privilege, unlike linkat's AT_EMPTY_PATH).
    /// </summary>
    public static bool UnnamedFilesPossible { get; } = OperatingSystem.IsLinux() && s_oTmpFile != 0 && Directory.Exists("/proc/self/fd");

    /// <summary>
    /// A new regular file in <paramref name="directory"/>'s file system that has no name yet (open(2) with O_TMPFILE):
    /// nothing appears in the directory, and the file is gone when its handle closes unless <see cref="LinkIntoPlace"/>
    /// named it. Null when the kernel or the file system cannot make one (then use a named temporary file).
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="IOException">Any other failure (no space, no inodes, no permission).</exception>
    public static SafeFileHandle? TryCreateUnnamed(string directory)
    {
        if (!UnnamedFilesPossible) return null;
        // 0666 before the umask, as File.Create does.
        var fd = open(directory, s_oTmpFile | ORdWr | OCloexec, 0x1B6);
        if (fd >= 0) return new SafeFileHandle(fd, ownsHandle: true);
        var errno = Marshal.GetLastPInvokeError();
        return errno switch
        {
            EOpNotSupp or EIsDir or EInval => null, // a file system without O_TMPFILE (NFS, FUSE), or an old kernel
            2 => throw new DirectoryNotFoundException($"cannot create a temporary file in '{directory}': no such directory"),
            _ => throw new IOException($"cannot create a temporary file in '{directory}': {Marshal.GetPInvokeErrorMessage(errno)}", errno),
        };
    }

    /// <summary>
    /// Gives an unnamed file (<see cref="TryCreateUnnamed"/>) the name <paramref name="target"/>, atomically: a reader
    /// sees no file or the whole file. False when a file of that name exists (nothing is changed then).
    /// </summary>
    public static bool LinkIntoPlace(SafeFileHandle handle, string target)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var self = string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{handle.DangerousGetHandle()}");
            if (linkat(AtFdCwd, self, AtFdCwd, target, AtSymlinkFollow) == 0) return true;
            var errno = Marshal.GetLastPInvokeError();
            if (errno == EExist) return false;
            if (errno == 2) throw new DirectoryNotFoundException($"cannot name the instance '{target}': no such directory");
            throw new IOException($"cannot name the instance '{target}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

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

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, uint mode);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int linkat(int oldDirFd, string oldPath, int newDirFd, string newPath, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int renameat2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);
}
