using Conduit.Dicom;
using Conduit.Tests.Support;

namespace Conduit.Tests.Network;

/// <summary>The files a receiver stored for one batch, matched to the batch's instances by SOP Instance UID.</summary>
/// <param name="Stored">Each instance that arrived, with the path of its stored copy.</param>
/// <param name="Unexpected">Stored files whose SOP Instance UID is not in the batch, or that could not be read.</param>
internal sealed record ReceivedFiles(IReadOnlyDictionary<SampleInstance, string> Stored, IReadOnlyList<string> Unexpected)
{
    /// <summary>Reads the SOP Instance UID of each file (header only) and finds its original in <paramref name="batch"/>.</summary>
    public static ReceivedFiles Match(SampleBatch batch, IEnumerable<string> files)
    {
        var byUid = batch.Instances.ToDictionary(i => i.SopInstanceUid!, StringComparer.Ordinal);
        var stored = new Dictionary<SampleInstance, string>();
        var unexpected = new List<string>();
        foreach (var file in files)
        {
            string? uid;
            try
            {
                uid = DicomFile.Open(file, DicomReadOptions.HeaderOnly).Dataset.GetStringOrDefault(DicomTags.SOPInstanceUID)?.Trim();
            }
            catch (Exception e) when (e is DicomReadException or IOException or InvalidDataException)
            {
                unexpected.Add($"{file}: unreadable: {e.Message}");
                continue;
            }
            if (uid is not null && byUid.TryGetValue(uid, out var instance) && stored.TryAdd(instance, file)) continue;
            unexpected.Add($"{file}: SOP Instance UID {uid ?? "(none)"} not expected (or stored twice) in {batch}");
        }
        return new ReceivedFiles(stored, unexpected);
    }
}
