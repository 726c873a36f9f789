using Conduit.Dicom.Network.Scp;
using Conduit.Dicom.Network.Tests.Support;

namespace Conduit.Dicom.Network.Tests.Scp;

/// <summary>
/// The empty temporary files the receiver creates ahead of need: unnamed (O_TMPFILE) where the file system allows,
/// named otherwise (the tests that pass <c>unnamed: false</c>).
/// </summary>
public sealed class TempFilePoolTests : IDisposable
{
    private readonly string _directory = TestDicom.TempDirectory();

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private static void WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the pool did not reach the expected state");
            Thread.Sleep(5);
        }
    }

    [Fact]
    public void FilesAreCreatedAheadAndEachRentIsANewWritableFile()
    {
        using var pool = new TempFilePool(_directory, target: 8, unnamed: false);
        WaitFor(() => pool.ReadyCount == 8);
        Assert.Equal(8, Directory.GetFiles(_directory).Length);

        var rented = Enumerable.Range(0, 20).Select(_ => pool.Rent()).ToList();
        Assert.Equal(20, rented.Select(f => f.Path).Distinct().Count());
        foreach (var file in rented)
        {
            RandomAccess.Write(file.Handle, "DICM"u8, 0);
            file.Handle.Dispose();
            Assert.Equal(4, new FileInfo(file.Path).Length);
        }
        // Renting past the ready files creates on demand, and the pool fills up again behind the renters.
        WaitFor(() => pool.ReadyCount == 8);
        Assert.Equal(28, Directory.GetFiles(_directory).Length);
    }

    [Fact]
    public void DisposeDeletesTheFilesStillReadyAndKeepsTheRentedOnes()
    {
        var pool = new TempFilePool(_directory, target: 6, unnamed: false);
        WaitFor(() => pool.ReadyCount == 6);
        var kept = pool.Rent();
        kept.Handle.Dispose();
        pool.Dispose();
        Assert.Equal([kept.Path], Directory.GetFiles(_directory));
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }

    [Fact]
    public void WithoutATargetEveryFileIsCreatedOnDemand()
    {
        using var pool = new TempFilePool(_directory, target: 0, unnamed: false);
        Assert.Empty(Directory.GetFiles(_directory));
        var file = pool.Rent();
        Assert.Equal([file.Path], Directory.GetFiles(_directory));
        file.Delete();
        Assert.Empty(Directory.GetFiles(_directory));
        Assert.Equal(0, pool.ReadyCount);
    }

    [Fact]
    public void AFileReadyForTooLongIsDeletedInsteadOfUsed()
    {
        // Another receiver in the same folder deletes *.part files untouched for an hour; an old ready one is not used.
        var clock = new ManualClock();
        using var pool = new TempFilePool(_directory, target: 4, clock, unnamed: false);
        WaitFor(() => pool.ReadyCount == 4);
        var old = Directory.GetFiles(_directory);
        clock.Advance(TempFilePool.MaxReadyAge + TimeSpan.FromSeconds(1));

        var file = pool.Rent();

        Assert.DoesNotContain(file.Path, old);
        Assert.All(old, path => Assert.False(File.Exists(path)));
        file.Delete();
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    [Fact]
    public void AFolderThatGoesAwayFailsTheRentThatNeedsAFileNotThePool()
    {
        var missing = Path.Combine(_directory, "gone");
        using var pool = new TempFilePool(missing, target: 4, unnamed: false);
        Assert.ThrowsAny<IOException>(() => pool.Rent());
        Directory.CreateDirectory(missing);
        var file = pool.Rent();
        Assert.True(File.Exists(file.Path));
        file.Delete();
    }

    [Fact]
    public void UnnamedFilesAppearNowhereUntilMovedIntoPlaceWhole()
    {
        using var pool = new TempFilePool(_directory, target: 4);
        Assert.True(pool.CreatesUnnamedFiles, "this machine's file system makes unnamed files (ext4, xfs, btrfs, tmpfs)");
        WaitFor(() => pool.ReadyCount == 4);
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
        Assert.Equal(4, OpenTemporaryFiles.Sizes(Environment.ProcessId, _directory).Length);

        var file = pool.Rent();
        Assert.Null(file.Name);
        RandomAccess.Write(file.Handle, "DICM"u8, 0);
        // Readable through its path while open, as the receiver reads a spilled instance back to check it.
        Assert.Equal("DICM"u8.ToArray(), File.ReadAllBytes(file.Path));
        Assert.Empty(Directory.GetFileSystemEntries(_directory));

        var final = Path.Combine(_directory, "final.dcm");
        Assert.False(file.MoveIntoPlace(final));
        file.Handle.Dispose();
        Assert.Equal([final], Directory.GetFileSystemEntries(_directory));
        Assert.Equal("DICM"u8.ToArray(), File.ReadAllBytes(final));
    }

    [Fact]
    public void AnUnnamedFileReplacesAnExistingOneAtomicallyAndLeavesNoOtherName()
    {
        using var pool = new TempFilePool(_directory, target: 0);
        var final = Path.Combine(_directory, "final.dcm");
        File.WriteAllBytes(final, [1, 2, 3]);

        var file = pool.Rent();
        RandomAccess.Write(file.Handle, "NEW"u8, 0);
        Assert.True(file.MoveIntoPlace(final));
        file.Handle.Dispose();

        Assert.Equal([final], Directory.GetFileSystemEntries(_directory));
        Assert.Equal("NEW"u8.ToArray(), File.ReadAllBytes(final));
    }

    [Fact]
    public void AnUnnamedFileThatIsDeletedOrDisposedWithThePoolLeavesNothing()
    {
        var pool = new TempFilePool(_directory, target: 3);
        WaitFor(() => pool.ReadyCount == 3);
        var file = pool.Rent();
        RandomAccess.Write(file.Handle, new byte[4096], 0);
        Assert.Equal(1, OpenTemporaryFiles.WithBytes(Environment.ProcessId, _directory));

        file.Delete();
        Assert.Equal(0, OpenTemporaryFiles.WithBytes(Environment.ProcessId, _directory));
        pool.Dispose();
        Assert.Empty(OpenTemporaryFiles.Sizes(Environment.ProcessId, _directory));
        Assert.Empty(Directory.GetFileSystemEntries(_directory));
    }

    [Fact]
    public void AMissingFolderFailsTheRentAndDoesNotTurnUnnamedFilesOff()
    {
        var missing = Path.Combine(_directory, "gone");
        using var pool = new TempFilePool(missing, target: 0);
        Assert.ThrowsAny<IOException>(() => pool.Rent());
        Directory.CreateDirectory(missing);
        var file = pool.Rent();
        Assert.True(pool.CreatesUnnamedFiles);
        Assert.Null(file.Name);
        file.Delete();
    }
}
