using Conduit.Dicom;
using Conduit.Pipeline.Destinations;
using Conduit.Pipeline.Steps.BuiltIn;

namespace Conduit.Pipeline.Orchestration;

/// <summary>The DICOM files a job delivers: everything under its result folder that reads as DICOM with its UIDs.</summary>
public static class ResultItems
{
    /// <returns>The items, and the files left out (not DICOM, or lacking UIDs) with why.</returns>
    public static (IReadOnlyList<DeliveryItem> Items, IReadOnlyList<string> Skipped) Collect(string folder)
    {
        var items = new List<DeliveryItem>();
        var skipped = new List<string>();
        if (!Directory.Exists(folder)) return (items, skipped);
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file) == Steps.StepParamsFile.FileName) continue;
            if (!BuiltInStepRunner.LooksLikeDicom(file))
            {
                skipped.Add($"{Path.GetRelativePath(folder, file)}: not DICOM");
                continue;
            }
            try
            {
                var ds = DicomFile.Open(file, DicomReadOptions.HeaderOnly).Dataset;
                var study = ds.GetStringOrDefault(DicomTags.StudyInstanceUID);
                var series = ds.GetStringOrDefault(DicomTags.SeriesInstanceUID);
                var sop = ds.GetStringOrDefault(DicomTags.SOPInstanceUID);
                if (string.IsNullOrEmpty(study) || string.IsNullOrEmpty(series) || string.IsNullOrEmpty(sop))
                    skipped.Add($"{Path.GetRelativePath(folder, file)}: lacks Study, Series or SOP Instance UID");
                else
                    items.Add(new DeliveryItem(file, study, series, sop));
            }
            catch (DicomReadException ex)
            {
                skipped.Add($"{Path.GetRelativePath(folder, file)}: {ex.Message}");
            }
        }
        return (items, skipped);
    }
}
