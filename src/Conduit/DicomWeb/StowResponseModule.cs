using Conduit.Dicom;

namespace Conduit.DicomWeb;

/// <summary>The Store Instances Response Module (PS3.18 Annex I, Table I.1-1) for the parts of one STOW-RS request.</summary>
internal static class StowResponseModule
{
    public static DicomDataset Build(IReadOnlyList<StowPart> parts, string? study, string baseUrl)
    {
        var response = new DicomDataset();
        // Retrieve URL (0008,1190), Type 2: the study's URL (Studies Retrieve, PS3.18 §10.4) when the stored instances
        // are of one study (or the request named one); present and empty otherwise.
        var studies = parts.Where(p => p.Outcome.Error is null).Select(p => p.Outcome.StudyInstanceUid).Distinct().ToList();
        var retrieveStudy = study ?? (studies.Count == 1 ? studies[0] : null);
        response.AddOrUpdate(DicomTags.RetrieveURL, DicomVR.UR, retrieveStudy is null ? Array.Empty<string>() : [$"{baseUrl}/studies/{retrieveStudy}"]);

        var failed = new DicomSequence(DicomTags.FailedSOPSequence);
        var referenced = new DicomSequence(DicomTags.ReferencedSOPSequence);
        foreach (var (outcome, storageFailure) in parts)
        {
            // SOP Instance Reference Macro (PS3.3 Table 10-11): Referenced SOP Class and Instance UID, when the part was
            // readable far enough to have them.
            var item = new DicomDataset();
            if (outcome.SopClassUid is { } sopClass) item.AddOrUpdate(DicomTags.ReferencedSOPClassUID, sopClass);
            if (outcome.SopInstanceUid is { } sop) item.AddOrUpdate(DicomTags.ReferencedSOPInstanceUID, sop);
            if (outcome.Error is null)
            {
                // Retrieve URL, Type 2: the instance's WADO-RS URL. No Warning Reason: Conduit stores what it received
                // unchanged (no coercion, nothing discarded).
                item.AddOrUpdate(DicomTags.RetrieveURL, DicomVR.UR,
                    $"{baseUrl}/studies/{outcome.StudyInstanceUid}/series/{outcome.SeriesInstanceUid}/instances/{outcome.SopInstanceUid}");
                referenced.Items.Add(item);
            }
            else
            {
                // Failure Reason (0008,1197), Type 1, US: PS3.18 §I.2.2, Table I.2-2.
                item.AddOrUpdate(DicomTags.FailureReason, DicomVR.US, storageFailure ?? StowFailureReasons.For(outcome));
                failed.Items.Add(item);
            }
        }
        // Both sequences are Type 1C: present when at least one instance failed, respectively was stored.
        if (failed.Items.Count > 0) response.Add(failed);
        if (referenced.Items.Count > 0) response.Add(referenced);
        return response;
    }
}
