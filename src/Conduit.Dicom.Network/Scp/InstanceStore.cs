using System.Collections.Concurrent;
using Conduit.Dicom.Network.Dimse;

namespace Conduit.Dicom.Network.Scp;

/// <summary>
/// The output directory: opens temporary files for incoming instances, validates them once complete, and moves them
/// atomically into the layout's place. Directories already created are remembered, so a series costs one mkdir,
/// not one per instance.
/// </summary>
internal sealed class InstanceStore : IDisposable
{
    private const string IncomingFolder = ".incoming";
    private const int MaxKnownDirectories = 100_000;
    // Binary values over 1 KiB (Pixel Data) are checked to fit and left out: nothing downstream of the SCP reads them
    // from this data set, and copying them was a third of what the receiver allocated per small instance.
    private static readonly DicomReadOptions ValidationRead = new() { DeferSequences = true, LazyValueThreshold = 1024, SkipBulkDataOver = 1024 };

    // With no one to hand the data set to, the same walk of the whole structure keeps only what the checks and the
    // storage layout read.
    private static readonly DicomReadOptions KeysOnlyRead = ValidationRead with
    {
        KeepOnly = new HashSet<DicomTag> { DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID, DicomTags.SOPInstanceUID, DicomTags.PatientID, DicomTags.Modality },
    };
    private static readonly TimeSpan StaleTemporaryAge = TimeSpan.FromHours(1);
    // Preamble + File Meta are about 350 bytes: one small buffer per thread, reused for every instance (copied out at once).
    private static readonly ThreadLocal<MemoryStream> HeaderBuffer = new(() => new MemoryStream(1024));
    private readonly ConcurrentDictionary<string, byte> _knownDirectories = new(StringComparer.Ordinal);
    private readonly IStorageLayout _layout;
    private readonly bool _durable;
    private readonly DirectorySync _directorySync = new();
    private readonly TempFilePool _tempFiles;
    private readonly DicomReadOptions _read;
    private readonly bool _handDatasetOn;

    /// <param name="handDatasetOn">The stored-instance handler gets the data set read from memory; without a handler
    /// only the keys are kept of it.</param>
    public InstanceStore(string outputDirectory, IStorageLayout layout, bool durable, bool unnamedTemporaryFiles = true, bool handDatasetOn = true)
    {
        _handDatasetOn = handDatasetOn;
        _read = handDatasetOn ? ValidationRead : KeysOnlyRead;
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
        _tempFiles = new TempFilePool(Incoming, unnamed: unnamedTemporaryFiles);
    }

    public string Root { get; }

    public string Incoming { get; }

    public IncomingInstance Begin(DicomCommand command, DicomTransferSyntax syntax, string callingAe)
    {
        var sopClass = command.AffectedSopClassUid ?? "";
        var sopInstance = command.AffectedSopInstanceUid ?? "";
        var incoming = new IncomingInstance(_tempFiles, sopClass, sopInstance, syntax);
        // PS3.10 §7.1: preamble, "DICM", File Meta with the negotiated syntax and Source AE Title (0002,0016).
        var meta = DicomFile.CreateFileMeta(sopClass, sopInstance, syntax, sourceAeTitle: callingAe);
        var header = HeaderBuffer.Value!;
        header.SetLength(0);
        DicomWriter.WriteFileMeta(header, meta);
        incoming.WriteMeta(header.GetBuffer().AsSpan(0, (int)header.Length));
        return incoming;
    }

    /// <summary>
    /// Validates the complete instance, writes it (fdatasync when durable), moves it into place and, when durable,
    /// makes the new name durable too (a directory fsync shared with the other associations' renames). A refusal
    /// deletes it and says why.
    /// </summary>
    public async ValueTask<StoreOutcome> CompleteAsync(IncomingInstance incoming, string callingAe)
    {
        if (incoming.WriteError is { } writeError)
            return StoreOutcome.Fail(DicomStatus.OutOfResources, $"could not write the instance: {writeError.Message}");

        DicomDataset ds;
        try
        {
            // The whole structure is read, Pixel Data included, so that a value overrunning the bytes received (a
            // truncated transfer that still set the last-fragment bit) is refused; binary values over 1 KiB are only
            // checked to fit. An instance still in memory is read from there (its data set then goes on to the
            // stored-instance handler, which need not read it again); a spilled one from its temporary file, where
            // the other values over 1 KiB are only checked to fit too.
            if (!incoming.Spilled)
            {
                using var stream = incoming.OpenBufferedDataset();
                ds = DicomReader.ReadDataset(stream, incoming.TransferSyntax, _read);
            }
            else
            {
                incoming.FlushToFile();
                ds = DicomFile.Open(incoming.TempPath, _read).Dataset;
            }
        }
        catch (Exception ex) when (ex is DicomReadException or InvalidDataException or NotSupportedException or ArgumentException or IOException)
        {
            incoming.DeleteTemp();
            return StoreOutcome.Fail(DicomStatus.CannotUnderstand, $"data set cannot be parsed: {ex.Message}");
        }

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
            var size = incoming.Length;
            var spilled = incoming.Spilled;
            var directory = Path.GetDirectoryName(final)!;
            bool created, replaced;
            if (_durable && !Thread.CurrentThread.IsThreadPoolThread)
            {
                // fdatasync blocks for a disk write: not on a socket engine's thread (inline socket completions),
                // where it would hold up every other association served by that thread.
                (created, replaced) = await Task.Run(() => Commit(incoming, final, directory)).ConfigureAwait(false);
            }
            else
            {
                (created, replaced) = Commit(incoming, final, directory);
            }
            if (_durable)
            {
                // The rename is durable once the target directory is; a directory made for this instance must be
                // durable in its parent too, up to the output directory.
                if (created) await _directorySync.SyncAsync(ParentsUpToRoot(directory)).ConfigureAwait(false);
                else await _directorySync.SyncAsync(directory).ConfigureAwait(false);
            }
            // Values read from memory stay valid after the move; a spilled instance's large values point at the
            // temporary name, so its data set is not handed on.
            return StoreOutcome.Stored(new StoredFile(final, size, replaced, keys, incoming.TransferSyntax.Uid, spilled || !_handDatasetOn ? null : ds));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            incoming.DeleteTemp();
            return StoreOutcome.Fail(DicomStatus.OutOfResources, $"could not move the instance into place: {ex.Message}");
        }
    }

    /// <summary>Writes the file (fdatasync when durable), moves it into place and closes it.</summary>
    private (bool CreatedDirectory, bool Replaced) Commit(IncomingInstance incoming, string final, string directory)
    {
        incoming.Persist(_durable);
        var created = EnsureDirectory(directory);
        return (created, MoveIntoPlace(incoming, final, directory));
    }

    /// <returns>true when the directory was created now.</returns>
    private bool EnsureDirectory(string directory)
    {
        if (_knownDirectories.ContainsKey(directory)) return false;
        // Bounded: a receiver running for months sees millions of series; forgetting costs one stat each.
        if (_knownDirectories.Count >= MaxKnownDirectories) _knownDirectories.Clear();
        var created = !Directory.Exists(directory);
        if (created) Directory.CreateDirectory(directory);
        _knownDirectories.TryAdd(directory, 0);
        return created;
    }

    private string[] ParentsUpToRoot(string directory)
    {
        var chain = new List<string> { directory };
        for (var dir = Path.GetDirectoryName(directory); dir is not null && dir.Length >= Root.Length; dir = Path.GetDirectoryName(dir))
            chain.Add(dir);
        return chain.ToArray();
    }

    private static bool MoveIntoPlace(IncomingInstance incoming, string final, string directory)
    {
        try
        {
            // Atomic: a reader sees the old file or the new one, never a partial one.
            return incoming.MoveIntoPlace(final);
        }
        catch (DirectoryNotFoundException)
        {
            // Removed behind our back since we cached it.
            Directory.CreateDirectory(directory);
            return incoming.MoveIntoPlace(final);
        }
    }

    /// <summary>Closes (and, when named, deletes) the temporary files kept ready.</summary>
    public void Dispose() => _tempFiles.Dispose();

    private static string? Uid(DicomDataset ds, DicomTag tag) =>
        ds.TryGetString(tag, out var value) && value.TrimEnd('\0', ' ').Trim() is { Length: > 0 } trimmed ? trimmed : null;
}

/// <summary>A file stored by <see cref="InstanceStore"/>.</summary>
internal sealed record StoredFile(string Path, long Size, bool ReplacedExisting, StorageKeys Keys, string TransferSyntaxUid, DicomDataset? Dataset);

/// <summary>Either a stored file, or the failure status and why.</summary>
internal readonly record struct StoreOutcome(StoredFile? File, DicomStatus Status, string? Why)
{
    public static StoreOutcome Stored(StoredFile file) => new(file, DicomStatus.Success, null);
    public static StoreOutcome Fail(DicomStatus status, string why) => new(null, status, why);
}
