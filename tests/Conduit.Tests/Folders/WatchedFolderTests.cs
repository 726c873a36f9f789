using System.Text.Json;
using Conduit.Dicom.Tests.Support;
using Conduit.Tests.Support;

namespace Conduit.Tests.Folders;

/// <summary>Issue 5, must show 4: folders dropped into a real <c>conduit serve</c>'s watched folder, seen through its API.</summary>
public sealed class WatchedFolderTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly string CtSeries = Path.Combine(Samples.Directory, "dicomdir/pydicom-dicomdirtests/77654033/CT2");

    private FolderServeProcess? _serve;

    public void Dispose() => _serve?.Dispose();

    /// <summary>Copies two CT instances of one series into <paramref name="folder"/> (one in a subfolder: the import is recursive).</summary>
    private static void CopySeries(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        File.Copy(Path.Combine(CtSeries, "17106"), Path.Combine(folder, "17106.dcm"));
        File.Copy(Path.Combine(CtSeries, "17136"), Path.Combine(folder, "sub", "17136.dcm"));
    }

    /// <summary>The one folder batch, once its status is one of <paramref name="statuses"/>; fails after the patience.</summary>
    private async Task<JsonElement> OnlyBatchOnceAsync(params string[] statuses)
    {
        JsonElement batch = default;
        Assert.True(await FolderServeProcess.EventuallyAsync(async () =>
        {
            if (await _serve!.BatchesAsync() is not [var only]) return false;
            batch = only;
            return statuses.Contains(batch.GetProperty("status").GetString());
        }, Patience), $"last seen: {batch}\n{_serve!.Output}");
        return batch;
    }

    [Fact]
    public async Task A_tmp_folder_is_ignored_until_renamed_then_imported_removed_and_its_job_sent()
    {
        _serve = await FolderServeProcess.StartAsync();
        var writing = Path.Combine(_serve.Incoming, "ST-000001.tmp123");
        CopySeries(writing);

        // Several scans (200 ms apart, 300 ms settle time) pass while the sender has not renamed it: nothing is taken.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.True(Directory.Exists(writing), _serve.Output);
        Assert.Empty(await _serve.BatchesAsync());

        var ready = Path.Combine(_serve.Incoming, "ST-000001");
        Directory.Move(writing, ready);

        Assert.True(await FolderServeProcess.EventuallyAsync(() => Task.FromResult(!Directory.Exists(ready)), Patience), _serve.Output);
        var batch = await OnlyBatchOnceAsync("done");
        Assert.Equal("ST-000001", batch.GetProperty("name").GetString());
        Assert.Equal("deleted", batch.GetProperty("folderFate").GetString());
        var files = batch.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(["17106.dcm", Path.Combine("sub", "17136.dcm")], files.Select(f => f.GetProperty("name").GetString()));
        Assert.All(files, f => Assert.Equal("sent", f.GetProperty("status").GetString()));
        var job = Assert.Single(batch.GetProperty("jobs").EnumerateArray());
        Assert.Equal("ct", job.GetProperty("flow").GetString());
        Assert.Equal("sent", job.GetProperty("status").GetString());

        using var one = JsonDocument.Parse(await _serve.Http.GetStringAsync($"/api/v1/folder-batches/{batch.GetProperty("id").GetString()}"));
        Assert.Equal("done", one.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_DICOMDIR_beside_the_images_is_skipped_not_an_error()
    {
        // Folders copied from a CD carry the media's DICOMDIR: it indexes the images and is not an instance itself.
        _serve = await FolderServeProcess.StartAsync();
        var staging = Path.Combine(_serve.Incoming, "CD-1.tmp");
        CopySeries(staging);
        File.Copy(Path.Combine(Samples.Directory, "dicomdir/pydicom-dicomdirtests/DICOMDIR"), Path.Combine(staging, "DICOMDIR"));
        var ready = Path.Combine(_serve.Incoming, "CD-1");
        Directory.Move(staging, ready);

        var batch = await OnlyBatchOnceAsync("done", "error");
        Assert.Equal("done", batch.GetProperty("status").GetString());
        Assert.False(Directory.Exists(ready));
        var files = batch.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal("skipped", files["DICOMDIR"].GetProperty("status").GetString());
        Assert.Contains("DICOMDIR", files["DICOMDIR"].GetProperty("error").GetString());
        Assert.Equal("sent", files["17106.dcm"].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_folder_with_one_corrupt_file_ends_as_err_with_every_file_kept_and_each_fate_recorded()
    {
        _serve = await FolderServeProcess.StartAsync();
        var staging = Path.Combine(_serve.Incoming, "ST-000002.tmp");
        CopySeries(staging);
        await File.WriteAllTextAsync(Path.Combine(staging, "broken.dcm"), "not DICOM at all");
        var before = Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(staging, f), File.ReadAllBytes);
        Directory.Move(staging, Path.Combine(_serve.Incoming, "ST-000002"));

        var quarantined = Path.Combine(_serve.Incoming, "ST-000002.err");
        Assert.True(await FolderServeProcess.EventuallyAsync(() => Task.FromResult(Directory.Exists(quarantined)), Patience), _serve.Output);

        // Nothing deleted, nothing changed.
        var after = Directory.EnumerateFiles(quarantined, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(quarantined, f), File.ReadAllBytes);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before, f => Assert.Equal(f.Value, after[f.Key]));

        var batch = Assert.Single(await _serve.BatchesAsync());
        Assert.Equal("error", batch.GetProperty("status").GetString());
        Assert.Contains("broken.dcm", batch.GetProperty("error").GetString());
        Assert.EndsWith("ST-000002.err", batch.GetProperty("folderFate").GetString());
        var files = batch.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(3, files.Count);
        Assert.Equal("error", files["broken.dcm"].GetProperty("status").GetString());
        Assert.Contains("DICOM", files["broken.dcm"].GetProperty("error").GetString());
        // The good files were stored like any received instance: their fate is recorded, not "error".
        foreach (var good in new[] { "17106.dcm", Path.Combine("sub", "17136.dcm") })
        {
            Assert.NotEqual("error", files[good].GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(files[good].GetProperty("sopInstanceUid").GetString()));
        }

        // An .err folder is left alone on later scans.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(await _serve.BatchesAsync());
        Assert.True(Directory.Exists(quarantined));
    }
    [Fact]
    public async Task With_keep_a_done_folder_stays_renamed_done_even_beside_an_older_done_of_the_same_name_and_is_not_taken_again()
    {
        _serve = await FolderServeProcess.StartAsync("on_success: keep");
        // An earlier batch of the same name was kept already: the new mark must not collide with it, and must still end in .done.
        var older = Directory.CreateDirectory(Path.Combine(_serve.Incoming, "ST-000003.done")).FullName;
        await File.WriteAllTextAsync(Path.Combine(older, "old.txt"), "from an earlier import");
        var staging = Path.Combine(_serve.Incoming, "ST-000003.tmp1");
        CopySeries(staging);
        var before = Snapshot(staging);
        Directory.Move(staging, Path.Combine(_serve.Incoming, "ST-000003"));

        var kept = Path.Combine(_serve.Incoming, "ST-000003-2.done");
        var batch = await OnlyBatchOnceAsync("done");
        Assert.Equal($"kept as {kept}", batch.GetProperty("folderFate").GetString());
        Assert.Equal(before, Snapshot(kept));
        Assert.Equal("from an earlier import", await File.ReadAllTextAsync(Path.Combine(older, "old.txt")));

        // Later scans leave both .done folders alone: still one batch.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(await _serve.BatchesAsync());
        Assert.Equal(["ST-000003-2.done", "ST-000003.done"], Directory.GetDirectories(_serve.Incoming).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task With_move_a_done_folder_goes_to_move_to_under_a_free_name_when_the_name_is_taken()
    {
        _serve = await FolderServeProcess.StartAsync("on_success: move", "move_to: {root}/archive");
        var archive = Path.Combine(_serve.Root, "archive");
        var taken = Directory.CreateDirectory(Path.Combine(archive, "ST-000004")).FullName;
        await File.WriteAllTextAsync(Path.Combine(taken, "old.txt"), "archived before");
        var staging = Path.Combine(_serve.Incoming, "ST-000004.tmp");
        CopySeries(staging);
        var before = Snapshot(staging);
        Directory.Move(staging, Path.Combine(_serve.Incoming, "ST-000004"));

        var moved = Path.Combine(archive, "ST-000004-2");
        var batch = await OnlyBatchOnceAsync("done");
        Assert.Equal($"moved to {moved}", batch.GetProperty("folderFate").GetString());
        Assert.Equal(before, Snapshot(moved));
        Assert.Empty(Directory.GetFileSystemEntries(_serve.Incoming));
        Assert.Equal("archived before", await File.ReadAllTextAsync(Path.Combine(taken, "old.txt")));
    }

    [Fact]
    public async Task A_folder_moved_to_another_file_system_whose_original_cannot_be_deleted_stays_and_is_not_imported_again_even_after_a_restart()
    {
        Assert.True(Directory.Exists("/dev/shm"), "this test needs /dev/shm (a tmpfs) as a second file system");
        var archive = Path.Combine("/dev/shm", "conduit-test-" + Guid.NewGuid().ToString("N"));
        _serve = await FolderServeProcess.StartAsync("on_success: move", $"move_to: {archive}");
        var staging = Path.Combine(_serve.Incoming, "ST-000005.tmp");
        CopySeries(staging);
        var before = Snapshot(staging);
        // A file that cannot be deleted, so neither can the original after the copy.
        var stuck = Path.Combine(staging, "sub", "17136.dcm");
        await PinAsync(stuck, pinned: true);
        var ready = Path.Combine(_serve.Incoming, "ST-000005");
        try
        {
            Directory.Move(staging, ready);
            stuck = Path.Combine(ready, "sub", "17136.dcm");

            var batch = await OnlyBatchOnceAsync("error");
            var moved = Path.Combine(archive, "ST-000005");
            Assert.StartsWith($"left in place: copied to {moved}, but the original could not be deleted", batch.GetProperty("folderFate").GetString());
            Assert.Equal(before, Snapshot(moved));
            Assert.True(File.Exists(stuck));
            Assert.True(await FolderServeProcess.EventuallyAsync(() => Task.FromResult(_serve.Output.Contains("is not taken again while nothing in it changes", StringComparison.Ordinal)), Patience),
                _serve.Output);
            // Many scans (200 ms apart, 300 ms settle time) pass: the folder is not taken again.
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.True((await _serve.BatchesAsync()).Count == 1, _serve.Output);

            // The next serve learns it from the store: it says so once, and does not take it either.
            await _serve.RestartAsync();
            Assert.True(await FolderServeProcess.EventuallyAsync(() => Task.FromResult(_serve.Output.Contains("is not taken again while nothing in it changes", StringComparison.Ordinal)), Patience),
                _serve.Output);
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.True((await _serve.BatchesAsync()).Count == 1, _serve.Output);
            Assert.Equal([moved], Directory.GetDirectories(archive));
        }
        finally
        {
            await PinAsync(stuck, pinned: false);
            if (Directory.Exists(archive)) Directory.Delete(archive, recursive: true);
        }
    }

    /// <summary>
    /// Makes a file impossible to delete, or possible again: root ignores permissions, so for root the file is made
    /// immutable (chattr, from e2fsprogs, which test.sh installs); for anyone else its folder is made read-only.
    /// </summary>
    private static async Task PinAsync(string file, bool pinned)
    {
        if (Environment.IsPrivilegedProcess)
        {
            var run = await ProcessRunner.RunAsync("chattr", [pinned ? "+i" : "-i", file], TimeSpan.FromSeconds(30));
            Assert.True(run.ExitCode == 0, run.Output);
        }
        else if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.GetDirectoryName(file)!, pinned
                ? UnixFileMode.UserRead | UnixFileMode.UserExecute
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>Every file under <paramref name="folder"/>, by relative path, with its bytes as base64 (comparable with Assert.Equal).</summary>
    private static SortedDictionary<string, string> Snapshot(string folder) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToBase64String(File.ReadAllBytes(f))), StringComparer.Ordinal);
}
