namespace Conduit.Pipeline.Store;

/// <summary>
/// One file of an upload or folder: the instance it became (and the batches it joined), why it was refused, or why it
/// was skipped (a file that is not an instance and is not an error either, e.g. a DICOMDIR).
/// </summary>
public sealed record UploadedFile(string Name, string? SopInstanceUid, string? SeriesInstanceUid, string? StudyInstanceUid,
    IReadOnlyList<string> BatchIds, string? Error)
{
    /// <summary>How <see cref="Error"/> starts for a skipped file.</summary>
    public const string SkippedPrefix = "skipped: ";

    public bool Stored => Error is null;

    public bool Skipped => Error?.StartsWith(SkippedPrefix, StringComparison.Ordinal) == true;
}

/// <summary>An upload through <c>POST /api/v1/files</c>.</summary>
public sealed record UploadRecord(string Id, DateTimeOffset CreatedAt, IReadOnlyList<UploadedFile> Files)
{
    public IEnumerable<string> BatchIds => Files.SelectMany(f => f.BatchIds).Distinct(StringComparer.Ordinal);
}

/// <summary>Uploads and what became of their files, so a client can poll the jobs its upload caused.</summary>
public interface IUploadStore
{
    Task SaveAsync(UploadRecord upload, CancellationToken cancellationToken);

    Task<UploadRecord?> GetAsync(string uploadId, CancellationToken cancellationToken);
}
