using Conduit.Pipeline.Ingest.Folders;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Ingest.Folders;

public sealed class FolderMoveTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    // /dev/shm is a tmpfs on Debian: another file system than the temp folder, where a rename cannot move a folder.
    private readonly string _otherFileSystem = Path.Combine("/dev/shm", "conduit-test-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _dir.Dispose();
        if (Directory.Exists(_otherFileSystem)) Directory.Delete(_otherFileSystem, recursive: true);
    }

    private string Batch(string name)
    {
        var folder = Directory.CreateDirectory(_dir.Combine("in", name, "sub")).Parent!.FullName;
        File.WriteAllBytes(Path.Combine(folder, "1.dcm"), [1, 2, 3]);
        File.WriteAllBytes(Path.Combine(folder, "sub", "2.dcm"), [4, 5]);
        return folder;
    }

    private static string[] Listing(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .Select(f => $"{Path.GetRelativePath(folder, f)}={Convert.ToHexString(File.ReadAllBytes(f))}").Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void A_folder_moves_to_another_file_system_by_a_complete_copy_before_the_source_is_deleted()
    {
        Assert.True(Directory.Exists("/dev/shm"), "this test needs /dev/shm (a tmpfs) as a second file system");
        var source = Batch("ST-1");
        var expected = Listing(source);
        var target = Path.Combine(_otherFileSystem, "ST-1");
        Directory.CreateDirectory(_otherFileSystem);

        FolderMove.Move(source, target);

        Assert.False(Directory.Exists(source));
        Assert.Equal(expected, Listing(target));
        Assert.Equal([target], Directory.GetDirectories(_otherFileSystem)); // no partial copy left behind
    }

    [Fact]
    public void A_copy_that_cannot_complete_leaves_the_source_whole_and_no_partial_copy()
    {
        var source = Batch("ST-2");
        var expected = Listing(source);
        // The target's parent is a file: the rename and the copy both fail.
        var blocker = _dir.Combine("not-a-folder");
        File.WriteAllText(blocker, "x");

        Assert.ThrowsAny<IOException>(() => FolderMove.Move(source, Path.Combine(blocker, "ST-2")));

        Assert.Equal(expected, Listing(source));
    }

    [Fact]
    public void A_free_name_keeps_the_done_or_err_mark_as_the_extension_so_the_folder_is_never_taken_again()
    {
        var folder = _dir.Combine("in", "ST-3");
        Directory.CreateDirectory(folder + ReadyFolders.DoneSuffix);
        Directory.CreateDirectory(folder + "-2" + ReadyFolders.DoneSuffix);

        var free = ReadyFolders.FreeName(folder, ReadyFolders.DoneSuffix);

        Assert.Equal(folder + "-3.done", free);
        Assert.False(ReadyFolders.IsCandidate(Path.GetFileName(free)));
        Assert.False(ReadyFolders.IsCandidate(Path.GetFileName(ReadyFolders.FreeName(folder, ReadyFolders.ErrorSuffix))));
    }
}
