using System.Collections.Concurrent;
using Conduit.Dicom.Network.Dimse;

namespace Conduit.Dicom.Network.Scp;

/// <summary>
/// The output directory: opens temporary files for incoming instances, validates them once complete, and moves them
/// atomically into the layout's place. Directories already created are remembered, so a series costs one mkdir,
/// not one per instance.
/// </summary>
internal sealed class InstanceStore
{
    private const string IncomingFolder = ".incoming";
    private const int MaxKnownDirectories = 100_000;
    private static readonly DicomReadOptions ValidationRead = new() { DeferSequences = true, LazyValueThreshold = 1024 };
    private static readonly TimeSpan StaleTemporaryAge = TimeSpan.FromHours(1);
    // Preamble + File Meta are about 350 bytes: one small buffer per thread, reused for every instance.
    private static readonly ThreadLocal<MemoryStream> HeaderBuffer = new(() => new MemoryStream(1024));
    private readonly ConcurrentDictionary<string, byte> _knownDirectories = new(StringComparer.Ordinal);
    private readonly IStorageLayout _layout;
    private readonly bool _durable;

    public InstanceStore(string outputDirectory, IStorageLayout layout, bool durable)
    {
        Root = Path.GetFullPath(outputDirectory);
        Incoming = Path.Combine(Root, IncomingFolder);
        _layout = layout;
        _durable = durable;
        Directory.CreateDirectory(Incoming);
        // Leftovers of a crash are incomplete by definition: nothing was acknowledged for them. Only old ones: another
        // receiver sharing the directory may be writing the fresh ones.
        var staleBefore = DateTime.UtcNow - StaleTemporaryAge;
        foreach (var stale in Directory.EnumerateFiles(Incoming, "*.part"))
            try { if (File.GetLastWriteTimeUtc(stale) < staleBefore) File.Delete(stale); } catch (IOException) { }
    }

    public string Root { get; }

    public string Incoming { get; }

    public IncomingInstance Begin(DicomCommand command, DicomTransferSyntax syntax, string callingAe)
    {
        var sopClass = command.AffectedSopClassUid ?? "";
        var sopInstance = command.AffectedSopInstanceUid ?? "";
        var temp = Path.Combine(Incoming, Guid.NewGuid().ToString("N") + ".part");
        // bufferSize 0: the PDV pieces arrive in chunks of kilobytes already; no 4 KiB copy per write, no buffer per instance.
        // FileShare.Read: the validation read opens it by name before it is closed (see Complete).
        var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        try
        {
            // PS3.10 §7.1: preamble, "DICM", File Meta with the negotiated syntax and Source AE Title (0002,0016),
            // gathered in memory first so that the file gets them in one write.
            var meta = DicomFile.CreateFileMeta(sopClass, sopInstance, syntax, sourceAeTitle: callingAe);
            var header = HeaderBuffer.Value!;
            header.SetLength(0);
            DicomWriter.WriteFileMeta(header, meta);
            file.Write(header.GetBuffer(), 0, (int)header.Length);
        }
        catch
        {
            file.Dispose();
            File.Delete(temp);
            throw;
        }
        return new IncomingInstance(temp, file, sopClass, sopInstance, syntax);
    }

    /// <summary>Validates the complete file and moves it into place; a refusal deletes it and says why.</summary>
    public StoreOutcome Complete(IncomingInstance incoming, string callingAe)
    {
        if (incoming.WriteError is { } writeError)
            return StoreOutcome.Fail(DicomStatus.OutOfResources, $"could not write the instance: {writeError.Message}");

        DicomFile header;
        var file = incoming.File;
        try
        {
            // The whole structure is read, Pixel Data included, so that a value overrunning the bytes received (a
            // truncated transfer that still set the last-fragment bit) is refused; values over 1 KiB are only
            // checked to fit and left in the file, so memory stays small whatever the instance's size.
            header = DicomFile.Open(incoming.TempPath, ValidationRead);
        }
        catch (Exception ex) when (ex is DicomReadException or InvalidDataException or NotSupportedException or ArgumentException or IOException)
        {
            incoming.DeleteTemp();
            return StoreOutcome.Fail(DicomStatus.CannotUnderstand, $"data set cannot be parsed: {ex.Message}");
        }

        var ds = header.Dataset;
        var study = Uid(ds, DicomTags.StudyInstanceUID);
        var series = Uid(ds, DicomTags.SeriesInstanceUID);
        var sop = Uid(ds, DicomTags.SOPInstanceUID);
        string? problem =
            study is null ? "Study Instance UID (0020,000D) missing" :
            series is null ? "Series Instance UID (0020,000E) missing" :
            sop is null ? "SOP Instance UID (0008,0018) missing" :
            !DicomUidValidator.IsValid(study) ? $"Study Instance UID '{study}' is not a valid UID" :
            !DicomUidValidator.IsValid(series) ? $"Series Instance UID '{series}' is not a valid UID" :
            !DicomUidValidator.IsValid(sop) ? $"SOP Instance UID '{sop}' is not a valid UID" :
            sop != incoming.SopInstanceUid ? $"SOP Instance UID '{sop}' in the data set differs from '{incoming.SopInstanceUid}' in the C-STORE command" :
            null;
        if (problem is not null)
        {
            incoming.DeleteTemp();
            return StoreOutcome.Fail(DicomStatus.DatasetDoesNotMatchSopClass, problem);
        }

        var keys = new StorageKeys(study!, series!, sop!, incoming.SopClassUid,
            ds.GetStringOrDefault(DicomTags.PatientID)?.Trim(), ds.GetStringOrDefault(DicomTags.Modality)?.Trim(), callingAe);
        string final;
        try
        {
            final = Path.GetFullPath(Path.Combine(Root, _layout.GetRelativePath(keys)));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            incoming.DeleteTemp();
            return StoreOutcome.Fail(DicomStatus.OutOfResources, $"storage layout gave an unusable path: {ex.Message}");
        }
        if (!final.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || final.StartsWith(Incoming + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            incoming.DeleteTemp();
            return StoreOutcome.Fail(DicomStatus.OutOfResources, $"storage layout path '{final}' is outside the output directory");
        }

        try
        {
            var size = file.Length;
            if (_durable) file.Flush(flushToDisk: true);
            incoming.Close();
            var replaced = MoveIntoPlace(incoming.TempPath, final);
            return StoreOutcome.Stored(new StoredFile(final, size, replaced, keys, incoming.TransferSyntax.Uid));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            incoming.DeleteTemp();
            return StoreOutcome.Fail(DicomStatus.OutOfResources, $"could not move the instance into place: {ex.Message}");
        }
    }

    private bool MoveIntoPlace(string temp, string final)
    {
        var directory = Path.GetDirectoryName(final)!;
        if (!_knownDirectories.ContainsKey(directory))
        {
            // Bounded: a receiver running for months sees millions of series; forgetting costs one mkdir each.
            if (_knownDirectories.Count >= MaxKnownDirectories) _knownDirectories.Clear();
            Directory.CreateDirectory(directory);
            _knownDirectories.TryAdd(directory, 0);
        }
        // One stat and one rename(2), atomic: a reader sees the old file or the new one, never a partial one.
        // (File.Move without overwrite costs a failing link(2) and more stats on some file systems.)
        var replaced = File.Exists(final);
        try
        {
            File.Move(temp, final, overwrite: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Removed behind our back since we cached it.
            Directory.CreateDirectory(directory);
            File.Move(temp, final, overwrite: true);
        }
        return replaced;
    }

    private static string? Uid(DicomDataset ds, DicomTag tag) =>
        ds.TryGetString(tag, out var value) && value.TrimEnd('\0', ' ').Trim() is { Length: > 0 } trimmed ? trimmed : null;
}

/// <summary>A file stored by <see cref="InstanceStore"/>.</summary>
internal sealed record StoredFile(string Path, long Size, bool ReplacedExisting, StorageKeys Keys, string TransferSyntaxUid);

/// <summary>Either a stored file, or the failure status and why.</summary>
internal readonly record struct StoreOutcome(StoredFile? File, DicomStatus Status, string? Why)
{
    public static StoreOutcome Stored(StoredFile file) => new(file, DicomStatus.Success, null);
    public static StoreOutcome Fail(DicomStatus status, string why) => new(null, status, why);
}
