namespace Conduit.Pipeline.Store;

/// <summary>Where a folder batch is: being imported (<c>processing</c>), every file imported (<c>imported</c>), or some file refused (<c>error</c>).</summary>
public enum FolderBatchState
{
    Processing,
    Imported,
    Error,
}

/// <summary>One ready subfolder of a watched folder, imported as one delivery; its files reuse the upload's file shape.</summary>
public sealed record FolderBatchRecord(string Id, string Watched, string Name, FolderBatchState State, DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt, string? FolderFate, string? Error, IReadOnlyList<UploadedFile> Files)
{
    public IEnumerable<string> BatchIds => Files.SelectMany(f => f.BatchIds).Distinct(StringComparer.Ordinal);
}

/// <summary>Folder batches: created when a subfolder is taken, finished once its files are imported and the folder handled.</summary>
public interface IFolderBatchStore
{
    Task CreateAsync(string id, string watched, string name, DateTimeOffset createdAt, CancellationToken cancellationToken);

    Task FinishAsync(string id, FolderBatchState state, DateTimeOffset finishedAt, string folderFate, string? error,
        IReadOnlyList<UploadedFile> files, CancellationToken cancellationToken);

    Task<FolderBatchRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<FolderBatchRecord>> ListAsync(int limit, CancellationToken cancellationToken);

    /// <summary>The batches of one watched folder whose folder fate begins with <paramref name="fatePrefix"/> (without their files).</summary>
    Task<IReadOnlyList<FolderBatchRecord>> ListByFateAsync(string watched, string fatePrefix, CancellationToken cancellationToken);
}
