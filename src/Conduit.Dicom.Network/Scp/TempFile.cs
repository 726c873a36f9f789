using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Conduit.Dicom.Network.Scp;

/// <summary>
/// A temporary file from <see cref="TempFilePool"/>: its open handle, its name (none for an unnamed O_TMPFILE file),
/// and when it was created (a <see cref="TimeProvider"/> timestamp).
/// </summary>
internal sealed class TempFile(string? name, string directory, SafeFileHandle handle, long createdAt)
{
    /// <summary>Null for an unnamed file, which exists only while its handle is open, until it is linked into place.</summary>
    public string? Name { get; } = name;

    /// <summary>
    /// A path that opens this file while its handle is open: its name, or for an unnamed file its entry in
    /// /proc/self/fd (opening that opens the file itself).
    /// </summary>
    public string Path => Name ?? string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{Handle.DangerousGetHandle()}");

    public SafeFileHandle Handle { get; } = handle;

    public long CreatedAt { get; } = createdAt;

    /// <summary>
    /// Gives the written file the name <paramref name="target"/> atomically (a reader sees the old file or the new
    /// one, never a partial one) and returns true when a file of that name was replaced (a duplicate instance). A
    /// named file is renamed (after its handle is closed); an unnamed one is linked, while its handle is still open.
    /// </summary>
    public bool MoveIntoPlace(string target)
    {
        if (Name is not null)
        {
            Handle.Dispose();
            return DurableFiles.MoveIntoPlace(Name, target);
        }
        if (DurableFiles.LinkIntoPlace(Handle, target)) return false;
        // A duplicate: link cannot replace, so the file gets a temporary name beside the others first, then replaces
        // the old one by rename (atomic).
        var named = System.IO.Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{Guid.NewGuid():N}.part"));
        if (!DurableFiles.LinkIntoPlace(Handle, named)) throw new IOException($"cannot name the instance '{named}': the name exists");
        File.Move(named, target, overwrite: true);
        return true;
    }

    /// <summary>
    /// Closes the handle and, for a named file, deletes it; failures are ignored (a leftover is removed at the next
    /// start). An unnamed file is gone once closed.
    /// </summary>
    public void Delete()
    {
        Handle.Dispose();
        if (Name is null) return;
        try { File.Delete(Name); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
