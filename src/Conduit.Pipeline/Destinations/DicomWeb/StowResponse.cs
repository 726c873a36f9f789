using System.Text.Json;
using Conduit.Dicom;

namespace Conduit.Pipeline.Destinations.DicomWeb;

/// <summary>One instance named in a Store Instances Response, with its Warning Reason (stored) or Failure Reason (failed).</summary>
public sealed record StowInstance(string? SopInstanceUid, string? SopClassUid, ushort? Reason);

/// <summary>
/// The Store Instances Response Module (PS3.18 Annex I, Table I.1-1) a STOW-RS origin server answers with, read from
/// DICOM JSON (PS3.18 Annex F): the instances stored (Referenced SOP Sequence (0008,1199), each perhaps with a Warning
/// Reason (0008,1196)) and the instances that failed (Failed SOP Sequence (0008,1198), each with its Failure Reason
/// (0008,1197)).
/// </summary>
public sealed record StowResponse(IReadOnlyList<StowInstance> Stored, IReadOnlyList<StowInstance> Failed, string? RetrieveUrl)
{
    public static StowResponse Empty { get; } = new([], [], null);

    /// <summary>Reads the response body; throws <see cref="InvalidDataException"/> when it is not a Store Instances Response in DICOM JSON.</summary>
    public static StowResponse Parse(ReadOnlySpan<byte> utf8Json)
    {
        DicomDataset dataset;
        try
        {
            using var document = JsonDocument.Parse(utf8Json.ToArray());
            var root = document.RootElement;
            // The module is one data set; a few servers wrap it in an array of one, as QIDO-RS answers are.
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() == 1) root = root[0];
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"expected a DICOM JSON object, found {root.ValueKind}");
            dataset = DicomJsonReader.Read(root);
        }
        catch (Exception ex) when (ex is JsonException or DicomJsonException or DicomReadException or FormatException)
        {
            throw new InvalidDataException($"not a Store Instances Response in DICOM JSON: {ex.Message}", ex);
        }
        return new StowResponse(
            Items(dataset, DicomTags.ReferencedSOPSequence, DicomTags.WarningReason),
            Items(dataset, DicomTags.FailedSOPSequence, DicomTags.FailureReason),
            dataset.GetStringOrDefault(DicomTags.RetrieveURL));
    }

    private static List<StowInstance> Items(DicomDataset dataset, DicomTag sequence, DicomTag reason)
    {
        var items = new List<StowInstance>();
        foreach (var item in dataset.GetSequence(sequence)?.Items ?? [])
        {
            ushort? code = item.Contains(reason) && item.TryGetValue<ushort>(reason, out var value) ? value : null;
            items.Add(new StowInstance(item.GetStringOrDefault(DicomTags.ReferencedSOPInstanceUID)?.Trim(),
                item.GetStringOrDefault(DicomTags.ReferencedSOPClassUID)?.Trim(), code));
        }
        return items;
    }
}
