using Conduit.Dicom;
using Conduit.Pipeline.Files;
using Conduit.Pipeline.Store;

namespace Conduit.Pipeline.Ingest;

/// <summary>Why a file was not imported, for callers that answer with a protocol status (STOW-RS Failure Reason).</summary>
public enum ImportRefusal
{
    /// <summary>Imported: no refusal.</summary>
    None,

    /// <summary>Not readable as a DICOM Part 10 file (no File Meta Information, a parse error, not DICOM at all).</summary>
    NotDicom,

    /// <summary>Readable, but a Study, Series or SOP Instance UID is missing or not a valid UID.</summary>
    MissingUids,

    /// <summary>Of another study than the one the request named.</summary>
    OtherStudy,
}

/// <summary>What became of one imported file.</summary>
public sealed record ImportOutcome(string Name, RecordedInstance? Recorded, string? StudyInstanceUid, string? SeriesInstanceUid, string? Error)
{
    /// <summary>The SOP Class UID when the header was readable (STOW-RS lists it for stored and refused parts alike).</summary>
    public string? SopClassUid { get; init; }

    /// <summary>The SOP Instance UID when the header was readable, even when the file was refused.</summary>
    public string? SopInstanceUid { get; init; }

    /// <summary>Why it was refused (<see cref="ImportRefusal.None"/> when imported, or refused for a reason of the caller's).</summary>
    public ImportRefusal Refusal { get; init; }

    /// <summary>Refused because it belongs to another study than the one the request named.</summary>
    public bool StudyMismatch => Refusal == ImportRefusal.OtherStudy;

    public UploadedFile ToUploadedFile() =>
        new(Name, Recorded?.SopInstanceUid, SeriesInstanceUid, StudyInstanceUid, Recorded?.BatchIds ?? [], Error);
}

/// <summary>
/// Brings a DICOM Part 10 file that did not come over DIMSE (an HTTP upload, a watched folder, STOW-RS) into the
/// instance store the way the SCP does: written to a temporary file under <c>&lt;data&gt;/.incoming</c>, checked
/// (readable, with valid Study, Series and SOP Instance UIDs), fsynced, renamed into the store's layout, then
/// recorded through the <see cref="InstanceIngestor"/>. A bad file is refused alone, with a reason.
/// </summary>
public sealed class FileImporter(IInstanceFileLayout layout, InstanceIngestor ingestor, bool durable = true)
{
    private const string IncomingFolder = ".incoming";

    public Task<ImportOutcome> ImportAsync(string name, Stream content, IngestSource source, CancellationToken cancellationToken) =>
        ImportAsync(name, content, source, null, cancellationToken);

    /// <summary>
    /// Imports one file; with <paramref name="requiredStudyInstanceUid"/>, a file of another study is refused before it
    /// reaches the store (STOW-RS to <c>/studies/{study}</c>, PS3.18 §10.5).
    /// </summary>
    public async Task<ImportOutcome> ImportAsync(string name, Stream content, IngestSource source, string? requiredStudyInstanceUid,
        CancellationToken cancellationToken)
    {
        var incoming = Path.Combine(layout.Root, IncomingFolder);
        Directory.CreateDirectory(incoming);
        var temp = Path.Combine(incoming, Guid.NewGuid().ToString("N") + ".part");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                if (durable) file.Flush(flushToDisk: true);
            }

            DicomDataset header;
            string? metaSopClass;
            try
            {
                var dicom = DicomFile.Open(temp, DicomReadOptions.HeaderOnly);
                if (dicom.Meta.Count == 0) return Refused(name, "not a DICOM Part 10 file (no File Meta Information)") with { Refusal = ImportRefusal.NotDicom };
                header = dicom.Dataset;
                metaSopClass = dicom.Meta.GetStringOrDefault(DicomTags.MediaStorageSOPClassUID)?.Trim();
            }
            catch (DicomReadException ex)
            {
                return Refused(name, $"not readable as DICOM: {ex.Message}") with { Refusal = ImportRefusal.NotDicom };
            }
            var study = header.GetStringOrDefault(DicomTags.StudyInstanceUID)?.Trim();
            var series = header.GetStringOrDefault(DicomTags.SeriesInstanceUID)?.Trim();
            var sop = header.GetStringOrDefault(DicomTags.SOPInstanceUID)?.Trim();
            // A DICOMDIR names its SOP class in the File Meta Information only (PS3.10 §7.1).
            var sopClass = header.GetStringOrDefault(DicomTags.SOPClassUID)?.Trim() ?? metaSopClass;
            foreach (var (value, what) in new[] { (study, "Study Instance UID"), (series, "Series Instance UID"), (sop, "SOP Instance UID") })
                if (value is null || !SafePath.IsValidUid(value))
                    return Refused(name, value is null ? $"no {what}" : $"{what} '{value}' is not a valid UID")
                        with { SopClassUid = sopClass, SopInstanceUid = sop, Refusal = ImportRefusal.MissingUids };
            if (requiredStudyInstanceUid is not null && !string.Equals(study, requiredStudyInstanceUid, StringComparison.Ordinal))
                return Refused(name, $"Study Instance UID '{study}' is not the study '{requiredStudyInstanceUid}' of the request")
                    with { SopClassUid = sopClass, SopInstanceUid = sop, Refusal = ImportRefusal.OtherStudy };

            var target = layout.Resolve(layout.InstanceRelativePath(study!, series!, sop!));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(temp, target, overwrite: true);
            var recorded = await ingestor.IngestAsync(target, source, cancellationToken).ConfigureAwait(false);
            return new ImportOutcome(name, recorded, study, series, null) { SopClassUid = sopClass, SopInstanceUid = sop };
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static ImportOutcome Refused(string name, string why) => new(name, null, null, null, why);
}
