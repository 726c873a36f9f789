using Conduit.Dicom;
using Conduit.Pipeline.Configuration;
using Conduit.Pipeline.Store;
using Microsoft.Extensions.Logging;

namespace Conduit.Pipeline.Ingest.Folders;

/// <summary>
/// Imports one ready subfolder as a folder batch: every file in it (recursively) through the <see cref="FileImporter"/>,
/// as one delivery (its end closes the series at once). When every file was stored, the folder is deleted, kept
/// (renamed <c>.done</c>) or moved; when any file was refused, it is renamed <c>.err</c> and nothing in it is deleted.
/// A folder that cannot be handled so (deleted, renamed or moved) is <see cref="LeftInPlace"/>, which its batch's fate
/// says, and its watcher does not take it again (<see cref="FolderWatcher"/>).
/// </summary>
public sealed partial class FolderBatchImporter(FileImporter importer, InstanceIngestor ingestor, IFolderBatchStore batches, TimeProvider time,
    ILogger<FolderBatchImporter> logger)
{
    /// <summary>How the fate of a folder that is still where it was taken begins.</summary>
    public const string LeftInPlace = "left in place";

    /// <summary>The folders of <paramref name="watchedRoot"/> that batches left in place, by name, with the latest such batch.</summary>
    public async Task<IReadOnlyDictionary<string, FolderBatchTaken>> LeftInPlaceAsync(string watchedRoot, CancellationToken cancellationToken)
    {
        var left = await batches.ListByFateAsync(watchedRoot, LeftInPlace, cancellationToken).ConfigureAwait(false);
        var byName = new Dictionary<string, FolderBatchTaken>(StringComparer.Ordinal);
        foreach (var batch in left.Where(b => b.FinishedAt is not null).OrderBy(b => b.FinishedAt))
        {
            byName[batch.Name] = new FolderBatchTaken(batch.Id, batch.FinishedAt!.Value, batch.FolderFate!);
        }
        return byName;
    }

    public async Task<FolderBatchTaken> ImportAsync(string watchedRoot, string folder, WatchedFolderOptions options, CancellationToken cancellationToken)
    {
        var id = StoreIds.New(time.GetUtcNow());
        var name = Path.GetFileName(folder);
        await batches.CreateAsync(id, watchedRoot, name, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        LogTaken(logger, folder, id);

        var source = new IngestSource(InstanceSource.Folder, id);
        var outcomes = new List<ImportOutcome>();
        try
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList())
                outcomes.Add(await ImportFileAsync(folder, file, source, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            // The folder is one delivery: its end lets its series close without waiting for the quiet time.
            await ingestor.DeliveryEndedAsync(id, CancellationToken.None).ConfigureAwait(false);
        }

        var files = outcomes.Select(FileFate).ToList();
        var refused = files.Where(f => f.Error is not null && !f.Skipped).ToList();
        string? error = outcomes.Count == 0 ? "the folder holds no file"
            : files.All(f => f.Skipped) ? "the folder holds no DICOM instance"
            : refused.Count > 0 ? string.Join("; ", refused.Select(o => $"{o.Name}: {o.Error}"))
            : null;
        var everyFileStored = error is null;
        string fate;
        try
        {
            fate = error is null ? Dispose(folder, options) : Quarantine(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The files are in the store either way; the folder stays where it is for a person to look at.
            fate = $"{LeftInPlace}: {ex.Message}";
            error = error is null ? $"could not handle the folder: {ex.Message}" : $"{error}; could not rename the folder: {ex.Message}";
        }
        var state = error is null ? FolderBatchState.Imported : FolderBatchState.Error;
        var finishedAt = time.GetUtcNow();
        await batches.FinishAsync(id, state, finishedAt, fate, error, files, CancellationToken.None)
            .ConfigureAwait(false);
        // A folder whose files were all stored but which could not be handled afterwards is still an import (its fate says the rest).
        if (everyFileStored) LogImported(logger, folder, id, outcomes.Count, fate);
        else LogRefused(logger, folder, id, refused.Count, outcomes.Count, fate);
        return new FolderBatchTaken(id, finishedAt, fate);
    }

    /// <summary>
    /// A DICOMDIR (Media Storage Directory, PS3.10 §8) indexes the media it came on and is not an instance: folders
    /// copied from a CD have one, and it must not send the whole folder to <c>.err</c>.
    /// </summary>
    private static UploadedFile FileFate(ImportOutcome outcome) =>
        outcome.Error is not null && outcome.SopClassUid == DicomUids.MediaStorageDirectoryStorage
            ? outcome.ToUploadedFile() with { Error = UploadedFile.SkippedPrefix + "a DICOMDIR (media directory), not an instance" }
            : outcome.ToUploadedFile();

    private async Task<ImportOutcome> ImportFileAsync(string folder, string file, IngestSource source, CancellationToken cancellationToken)
    {
        var relative = Path.GetRelativePath(folder, file);
        try
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            return await importer.ImportAsync(relative, stream, source, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ImportOutcome(relative, null, null, null, $"cannot read: {ex.Message}");
        }
    }

    private static string Dispose(string folder, WatchedFolderOptions options)
    {
        switch (options.OnSuccess)
        {
            case FolderSuccessAction.Keep:
                var kept = ReadyFolders.FreeName(folder, ReadyFolders.DoneSuffix);
                Directory.Move(folder, kept);
                return $"kept as {kept}";
            case FolderSuccessAction.Move:
                var targetRoot = Path.GetFullPath(options.MoveTo!);
                Directory.CreateDirectory(targetRoot);
                var moved = ReadyFolders.FreeName(Path.Combine(targetRoot, Path.GetFileName(folder)));
                FolderMove.Move(folder, moved);
                return $"moved to {moved}";
            default:
                Directory.Delete(folder, recursive: true);
                return "deleted";
        }
    }

    private static string Quarantine(string folder)
    {
        var target = ReadyFolders.FreeName(folder, ReadyFolders.ErrorSuffix);
        Directory.Move(folder, target);
        return $"renamed to {target}";
    }

    [LoggerMessage(EventId = 3211, Level = LogLevel.Information, Message = "Folder {Folder} taken as folder batch {Id}")]
    private static partial void LogTaken(ILogger logger, string folder, string id);

    [LoggerMessage(EventId = 3212, Level = LogLevel.Information, Message = "Folder {Folder} (folder batch {Id}): {Count} file(s) imported; {Fate}")]
    private static partial void LogImported(ILogger logger, string folder, string id, int count, string fate);

    [LoggerMessage(EventId = 3213, Level = LogLevel.Warning, Message = "Folder {Folder} (folder batch {Id}): {Refused} of {Count} file(s) refused; {Fate}")]
    private static partial void LogRefused(ILogger logger, string folder, string id, int refused, int count, string fate);
}
