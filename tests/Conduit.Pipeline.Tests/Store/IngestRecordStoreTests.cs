using Conduit.Pipeline.Store;
using Conduit.Pipeline.Tests.Support;

namespace Conduit.Pipeline.Tests.Store;

/// <summary>The records of HTTP uploads and watched-folder batches, file by file, on both databases.</summary>
public sealed class IngestRecordStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly UploadedFile[] Files =
    [
        new("a.dcm", "1.2.3.1.1", "1.2.3.1", "1.2.3", ["batch-1", "batch-2"], null),
        new("notes.txt", null, null, null, [], "skipped: not a DICOM file"),
    ];

    [Theory, BothProviders]
    public async Task An_upload_is_read_back_with_its_files_in_order_and_an_unknown_one_is_null(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var uploads = new SqlUploadStore(store.Database);
        var created = store.Time.GetUtcNow();

        await uploads.SaveAsync(new UploadRecord("up-1", created, Files), None);

        var read = await uploads.GetAsync("up-1", None);
        Assert.Equal(created, read!.CreatedAt);
        Assert.Equal(Files.Select(Flat), read.Files.Select(Flat));
        Assert.Null(await uploads.GetAsync("up-2", None));
    }

    [Theory, BothProviders]
    public async Task A_folder_batch_is_processing_until_finished_with_its_files_and_fate_and_lists_newest_first(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var folders = new SqlFolderBatchStore(store.Database);
        var at = store.Time.GetUtcNow();
        await folders.CreateAsync(StoreIds.New(at), "/watch", "older", at, None);
        store.Time.Advance(TimeSpan.FromSeconds(1));
        var id = StoreIds.New(store.Time.GetUtcNow());
        await folders.CreateAsync(id, "/watch", "study-17", store.Time.GetUtcNow(), None);
        Assert.Equal((FolderBatchState.Processing, 0), ((await folders.GetAsync(id, None))!.State, (await folders.GetAsync(id, None))!.Files.Count));

        await folders.FinishAsync(id, FolderBatchState.Imported, at.AddMinutes(1), "deleted", null, Files, None);

        var done = await folders.GetAsync(id, None);
        Assert.Equal((FolderBatchState.Imported, "deleted", at.AddMinutes(1)), (done!.State, done.FolderFate, done.FinishedAt));
        Assert.Equal(Files.Select(Flat), done.Files.Select(Flat));
        Assert.Equal(["study-17", "older"], (await folders.ListAsync(10, None)).Select(b => b.Name));
    }

    [Theory, BothProviders]
    public async Task The_folder_batches_of_one_watched_folder_are_found_by_the_start_of_their_fate(StoreProvider provider)
    {
        await using var store = await StoreFixture.CreateAsync(provider);
        var folders = new SqlFolderBatchStore(store.Database);
        var at = store.Time.GetUtcNow();
        foreach (var (watched, name, fate) in new[]
        {
            ("/watch", "left", "left in place: copied to /archive/left, but the original could not be deleted"),
            ("/watch", "moved", "moved to /archive/moved"),
            ("/other", "left-elsewhere", "left in place: Permission denied"),
        })
        {
            var id = StoreIds.New(at);
            await folders.CreateAsync(id, watched, name, at, None);
            await folders.FinishAsync(id, FolderBatchState.Error, at.AddSeconds(1), fate, "could not handle the folder", [], None);
            store.Time.Advance(TimeSpan.FromSeconds(1));
            at = store.Time.GetUtcNow();
        }
        var unfinished = StoreIds.New(at);
        await folders.CreateAsync(unfinished, "/watch", "processing", at, None);

        var left = await folders.ListByFateAsync("/watch", "left in place", None);

        Assert.Equal(["left"], left.Select(b => b.Name));
        Assert.NotNull(left[0].FinishedAt);
    }

    private static string Flat(UploadedFile f) =>
        $"{f.Name}|{f.SopInstanceUid}|{f.SeriesInstanceUid}|{f.StudyInstanceUid}|{string.Join(',', f.BatchIds)}|{f.Error}";
}
