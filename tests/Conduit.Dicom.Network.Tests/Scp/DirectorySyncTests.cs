using Conduit.Dicom.Network.Scp;
using Conduit.Dicom.Network.Tests.Support;

namespace Conduit.Dicom.Network.Tests.Scp;

/// <summary>Group commit of directory fsyncs: renames finished while a round runs share the next round.</summary>
public class DirectorySyncTests
{
    [Fact]
    public async Task CallersArrivingDuringARoundShareTheNextWithOneSyncPerDirectory()
    {
        using var firstStarted = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        var synced = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var sync = new DirectorySync(dir =>
        {
            synced.Enqueue(dir);
            if (dir == "a" && !firstStarted.IsSet)
            {
                firstStarted.Set();
                releaseFirst.Wait(TimeSpan.FromSeconds(10));
            }
        });

        // The leader runs its round on its own thread; hold it inside the fsync.
        var leader = Task.Run(async () => await sync.SyncAsync("a"));
        Assert.True(firstStarted.Wait(TimeSpan.FromSeconds(10)));
        var followers = new[] { sync.SyncAsync("b").AsTask(), sync.SyncAsync("b").AsTask(), sync.SyncAsync("a", "c").AsTask() };
        Assert.All(followers, f => Assert.False(f.IsCompleted));
        releaseFirst.Set();
        await leader.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.WhenAll(followers).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, sync.Rounds);
        Assert.Equal(["a", "a", "b", "c"], synced.Order());
    }

    [Fact]
    public async Task AFailedSyncFailsEveryCallerOfItsRound()
    {
        var sync = new DirectorySync(dir => throw new IOException($"cannot sync {dir}"));
        var error = await Assert.ThrowsAsync<IOException>(async () => await sync.SyncAsync("x"));
        Assert.Contains("x", error.Message);
    }

    [Fact]
    public async Task ARealDirectoryIsSyncedAndAMissingOneIsAnError()
    {
        var dir = TestDicom.TempDirectory();
        try
        {
            var sync = new DirectorySync();
            await sync.SyncAsync(dir);
            Assert.Equal(1, sync.Syncs);
            if (OperatingSystem.IsLinux())
                await Assert.ThrowsAsync<IOException>(async () => await sync.SyncAsync(Path.Combine(dir, "missing")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void MoveIntoPlaceSaysWhetherItReplacedAFile()
    {
        var dir = TestDicom.TempDirectory();
        try
        {
            var a = Path.Combine(dir, "a");
            var target = Path.Combine(dir, "target");
            File.WriteAllText(a, "first");
            Assert.False(DurableFiles.MoveIntoPlace(a, target));
            File.WriteAllText(a, "second");
            Assert.True(DurableFiles.MoveIntoPlace(a, target));
            Assert.Equal("second", File.ReadAllText(target));
            Assert.False(File.Exists(a));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
