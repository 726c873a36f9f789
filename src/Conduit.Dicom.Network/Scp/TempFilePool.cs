using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Conduit.Dicom.Network.Scp;

/// <summary>
/// Empty temporary files, created and opened before they are needed. Creating a file is the dearest step of storing
/// a small instance: the file system allocates an inode, which on ext4 scans past recently freed ones (0.13–0.25 ms of
/// kernel time per file measured on this project's test machine, against 0.015 ms to write, close and rename a file
/// created earlier; <c>bench/receive/results.md</c>). The pool does that step on a pool thread while the association
/// waits for its peer's next instance, so it is no longer between the last byte received and the response.
/// <para>Where the kernel and file system allow it (Linux, ext4/xfs/btrfs/tmpfs), the files have no name
/// (O_TMPFILE): nothing is added to or removed from the incoming folder, and the finished instance gets its only name
/// by a link into place. That is about a third less kernel time per file than a named file renamed into place (30
/// against 41–47 µs per file with four writers, and half of it right after mass deletions; bench/receive/results.md,
/// 2026-11-30 14:10), no cross-directory rename (which Linux serialises per file system), and nothing left behind
/// by a crash. Elsewhere they are named <c>*.part</c> files, unused ones are deleted on dispose, and after a crash
/// the next start removes them once stale.</para>
/// </summary>
internal sealed class TempFilePool : IDisposable
{
    /// <summary>Files kept ready; refilled once fewer than half remain.</summary>
    public const int DefaultTarget = 32;

    /// <summary>
    /// A ready file older than this is deleted instead of used: a receiver starting beside this one in the same folder
    /// deletes <c>*.part</c> files untouched for an hour as a crash's leftovers (<see cref="InstanceStore"/>).
    /// </summary>
    public static readonly TimeSpan MaxReadyAge = TimeSpan.FromMinutes(30);

    private readonly ConcurrentQueue<TempFile> _ready = new();
    private readonly string _directory;
    private readonly string _prefix = Guid.NewGuid().ToString("N");
    private readonly int _target;
    private readonly TimeProvider _time;
    private long _counter;
    private volatile bool _unnamed;
    private int _readyCount;
    private int _refilling;
    private volatile bool _disposed;

    /// <param name="directory">Where the files are created (it must exist).</param>
    /// <param name="target">Files kept ready; 0 creates every file on demand.</param>
    /// <param name="time">The clock the files' age is read from.</param>
    /// <param name="unnamed">False: always named files (the fallback, for tests).</param>
    public TempFilePool(string directory, int target = DefaultTarget, TimeProvider? time = null, bool unnamed = true)
    {
        _directory = directory;
        _target = target;
        _time = time ?? TimeProvider.System;
        _unnamed = unnamed && DurableFiles.UnnamedFilesPossible;
        RefillIfLow();
    }

    /// <summary>
    /// Whether files are created without a name. Turns false for good the first time the file system refuses
    /// (a folder on NFS, say); the files are named from then on.
    /// </summary>
    public bool CreatesUnnamedFiles => _unnamed;

    /// <summary>Files ready now (for tests and diagnostics).</summary>
    public int ReadyCount => Volatile.Read(ref _readyCount);

    /// <summary>
    /// A new empty file, open for writing, that is the caller's from now on (to rename into place or delete). Taken
    /// from the pool when one is ready, else created now.
    /// </summary>
    public TempFile Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (_ready.TryDequeue(out var file))
        {
            Interlocked.Decrement(ref _readyCount);
            if (_time.GetElapsedTime(file.CreatedAt) > MaxReadyAge)
            {
                file.Delete();
                continue;
            }
            RefillIfLow();
            return file;
        }
        RefillIfLow();
        return Create();
    }

    private TempFile Create()
    {
        if (_unnamed)
        {
            if (DurableFiles.TryCreateUnnamed(_directory) is { } handle) return new TempFile(null, _directory, handle, _time.GetTimestamp());
            _unnamed = false;
        }
        // Unique without a random read per file: this pool's random prefix (another receiver may share the folder)
        // and a counter. CreateNew refuses a name that exists anyway. FileShare.Read: a spilled instance is validated
        // by reading it back by name before the handle is closed.
        var path = Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture, $"{_prefix}-{Interlocked.Increment(ref _counter)}.part"));
        return new TempFile(path, _directory, File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read), _time.GetTimestamp());
    }

    private void RefillIfLow()
    {
        if (_disposed || Volatile.Read(ref _readyCount) > _target / 2) return;
        if (Interlocked.CompareExchange(ref _refilling, 1, 0) != 0) return;
        ThreadPool.UnsafeQueueUserWorkItem(static pool => pool.Refill(), this, preferLocal: false);
    }

    private void Refill()
    {
        try
        {
            while (!_disposed && Volatile.Read(ref _readyCount) < _target)
            {
                TempFile file;
                try
                {
                    file = Create();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Out of inodes, or the folder went away: Rent creates on demand, and that failure is reported
                    // for the instance that needs the file.
                    return;
                }
                _ready.Enqueue(file);
                Interlocked.Increment(ref _readyCount);
            }
        }
        finally
        {
            Volatile.Write(ref _refilling, 0);
            // Dispose may have drained the queue before this refill's last file went in.
            if (_disposed) Drain();
        }
    }

    private void Drain()
    {
        while (_ready.TryDequeue(out var file))
        {
            Interlocked.Decrement(ref _readyCount);
            file.Delete();
        }
    }

    /// <summary>Closes and deletes the files still ready.</summary>
    public void Dispose()
    {
        _disposed = true;
        Drain();
    }
}
