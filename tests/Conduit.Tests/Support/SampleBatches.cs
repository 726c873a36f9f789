using Conduit.Dicom;
using Conduit.Dicom.Tests.Support;

namespace Conduit.Tests.Support;

/// <summary>One well-formed corpus file with the identifiers a C-STORE needs, read by Conduit.Dicom.</summary>
/// <param name="SopInstanceUid">(0008,0018), null when the data set has none (DICOMDIRs, a few test files).</param>
/// <param name="SopClassUid">(0008,0016) of the data set, null when absent.</param>
/// <param name="TransferSyntaxUid">The syntax the file is encoded in (from the File Meta, or inferred, as the manifest says).</param>
/// <param name="ReadError">Why Conduit.Dicom could not read the header, or null.</param>
/// <param name="StudyInstanceUid">(0020,000D), null when absent.</param>
/// <param name="SeriesInstanceUid">(0020,000E), null when absent.</param>
internal sealed record SampleInstance(SampleFile Sample, string? SopInstanceUid, string? SopClassUid, string TransferSyntaxUid, string? ReadError,
    string? StudyInstanceUid = null, string? SeriesInstanceUid = null)
{
    public string Path => Sample.Path;

    public string FullPath => Sample.FullPath;

    /// <summary>A C-STORE needs both UIDs (PS3.7 §9.1.1: Affected SOP Class and Instance UID).</summary>
    public bool HasStoreIdentifiers => !string.IsNullOrEmpty(SopInstanceUid) && !string.IsNullOrEmpty(SopClassUid);

    /// <summary>
    /// Study and Series Instance UID are present: a receiver that files instances by them (Conduit stores
    /// STUDY/SERIES/SOP.dcm and refuses an instance without them with 0xA900, issue 3) can store it.
    /// </summary>
    public bool HasStudyAndSeries => !string.IsNullOrEmpty(StudyInstanceUid) && !string.IsNullOrEmpty(SeriesInstanceUid);

    /// <summary>Which of Study / Series Instance UID the data set lacks, for messages.</summary>
    public string MissingKeys => string.Join(" and ", new[] { (StudyInstanceUid, "Study Instance UID (0020,000D)"), (SeriesInstanceUid, "Series Instance UID (0020,000E)") }
        .Where(k => string.IsNullOrEmpty(k.Item1)).Select(k => k.Item2));

    /// <summary>The SOP class is a storage SOP class of PS3.6 (what a storage SCP accepts; private classes are not).</summary>
    public bool IsStorageSopClass => SopClassUid is not null && DicomUidDictionary.IsStorageSopClass(SopClassUid);

    public override string ToString() => Sample.Path;
}

/// <summary>A set of corpus files in which every SOP Instance UID appears once, so one receiver can take them all.</summary>
internal sealed record SampleBatch(int Number, IReadOnlyList<SampleInstance> Instances)
{
    public override string ToString() => $"batch {Number} ({Instances.Count} files)";
}

/// <summary>
/// The corpus's non-malformed files (<see cref="Samples.WellFormed"/>) in batches of unique SOP Instance UIDs:
/// encodings of one source data set keep its SOP Instance UID (MR_small* nine times, emri_small* six, ...), and a
/// receiver stores by that UID, so they must go in different batches. Files without the UIDs a C-STORE needs are kept
/// apart in <see cref="WithoutStoreIdentifiers"/>: no sender can move them.
/// </summary>
internal static class SampleBatches
{
    private static readonly Lazy<IReadOnlyList<SampleInstance>> Instances = new(ReadAll);
    private static readonly Lazy<IReadOnlyList<SampleBatch>> Grouped = new(() => Group(Sendable));

    /// <summary>Every well-formed corpus file, in manifest order.</summary>
    public static IReadOnlyList<SampleInstance> All => Instances.Value;

    /// <summary>The files that carry a SOP Class and a SOP Instance UID.</summary>
    public static IReadOnlyList<SampleInstance> Sendable => All.Where(i => i.HasStoreIdentifiers).ToList();

    /// <summary>The files no C-STORE can carry, with no SOP Class or SOP Instance UID in the data set.</summary>
    public static IReadOnlyList<SampleInstance> WithoutStoreIdentifiers => All.Where(i => !i.HasStoreIdentifiers).ToList();

    /// <summary>
    /// <see cref="Sendable"/> in as few batches as possible: each file goes into the first batch that does not yet hold
    /// its SOP Instance UID (manifest order, so the batches are the same on every run).
    /// </summary>
    public static IReadOnlyList<SampleBatch> Batches => Grouped.Value;

    /// <summary>Groups <paramref name="instances"/> into batches of unique SOP Instance UIDs (first fit, in order).</summary>
    public static IReadOnlyList<SampleBatch> Group(IEnumerable<SampleInstance> instances)
    {
        var batches = new List<(List<SampleInstance> Files, HashSet<string> Uids)>();
        foreach (var instance in instances)
        {
            var uid = instance.SopInstanceUid ?? throw new ArgumentException($"{instance.Path} has no SOP Instance UID", nameof(instances));
            var batch = batches.FirstOrDefault(b => !b.Uids.Contains(uid));
            if (batch.Files is null)
            {
                batch = ([], new HashSet<string>(StringComparer.Ordinal));
                batches.Add(batch);
            }
            batch.Files.Add(instance);
            batch.Uids.Add(uid);
        }
        return batches.Select((b, i) => new SampleBatch(i + 1, b.Files)).ToList();
    }

    /// <summary>Reads the identifiers of one file (header only: stops before Pixel Data).</summary>
    public static SampleInstance Read(SampleFile sample)
    {
        try
        {
            var file = DicomFile.Open(sample.FullPath, DicomReadOptions.HeaderOnly);
            return new SampleInstance(
                sample,
                NullIfEmpty(file.Dataset.GetStringOrDefault(DicomTags.SOPInstanceUID)),
                NullIfEmpty(file.Dataset.GetStringOrDefault(DicomTags.SOPClassUID)),
                file.TransferSyntax.Uid,
                null,
                NullIfEmpty(file.Dataset.GetStringOrDefault(DicomTags.StudyInstanceUID)),
                NullIfEmpty(file.Dataset.GetStringOrDefault(DicomTags.SeriesInstanceUID)));
        }
        catch (Exception e) when (e is DicomReadException or IOException or InvalidDataException or FormatException)
        {
            return new SampleInstance(sample, null, null, sample.TransferSyntaxUid, e.Message);
        }
    }

    private static IReadOnlyList<SampleInstance> ReadAll() => Samples.WellFormed.Select(Read).ToList();

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
