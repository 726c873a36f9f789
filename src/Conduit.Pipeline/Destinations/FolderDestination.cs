using Conduit.Pipeline.Files;

namespace Conduit.Pipeline.Destinations;

/// <summary>
/// Copies results into <c>&lt;root&gt;/&lt;StudyUID&gt;/&lt;SeriesUID&gt;/&lt;SOPInstanceUID&gt;.dcm</c>, each through a
/// temporary file renamed into place, so a reader of the folder never sees half a file. Resending overwrites.
/// </summary>
public sealed class FolderDestination(string name, string root, bool flush = true) : IDestination
{
    public string Name { get; } = name;
    public string Root { get; } = Path.GetFullPath(root);

    public async ValueTask<IReadOnlyList<DeliveryOutcome>> DeliverAsync(IReadOnlyList<DeliveryItem> items, CancellationToken cancellationToken)
    {
        var outcomes = new List<DeliveryOutcome>(items.Count);
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            outcomes.Add(await DeliverOneAsync(item, cancellationToken).ConfigureAwait(false));
        }
        return outcomes;
    }

    private async ValueTask<DeliveryOutcome> DeliverOneAsync(DeliveryItem item, CancellationToken cancellationToken)
    {
        string target;
        try
        {
            target = Path.Combine(Root,
                SafePath.UidSegment(item.StudyInstanceUid, "Study Instance UID"),
                SafePath.UidSegment(item.SeriesInstanceUid, "Series Instance UID"),
                SafePath.UidSegment(item.SopInstanceUid, "SOP Instance UID") + ".dcm");
        }
        catch (ArgumentException ex)
        {
            return DeliveryOutcome.PermanentFailure(item, ex.Message);
        }

        var temp = target + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await using (var source = new FileStream(item.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan))
            await using (var copy = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                await source.CopyToAsync(copy, 1 << 16, cancellationToken).ConfigureAwait(false);
                if (flush) copy.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
            return DeliveryOutcome.Success(item);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            // A missing source is our own bug or a cleaned job: retrying will not bring it back.
            return ex is FileNotFoundException && !File.Exists(item.Path)
                ? DeliveryOutcome.PermanentFailure(item, $"source file is gone: {item.Path}")
                : DeliveryOutcome.TransientFailure(item, $"{ex.GetType().Name}: {ex.Message}");
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
