using Conduit.Dicom;

namespace Conduit.Pipeline.Flows.Matching;

/// <summary>Tag values of a <see cref="DicomDataset"/>, decoded with the data set's Specific Character Set.</summary>
public sealed class DatasetTagValues(DicomDataset dataset) : ITagValues
{
    public DicomDataset Dataset { get; } = dataset;

    public bool TryGetValues(DicomTag tag, out IReadOnlyList<string> values, out string joined)
    {
        values = [];
        joined = "";
        var item = Dataset.GetItem(tag);
        if (item is null) return false;
        if (item is not DicomElement element || (!element.VR.IsString && element.VR is not (DicomVR.UN or DicomVR.AT or DicomVR.US or DicomVR.SS or DicomVR.UL or DicomVR.SL or DicomVR.FL or DicomVR.FD or DicomVR.SV or DicomVR.UV)))
            return true; // present, but a sequence or binary value: nothing to compare text with
        try
        {
            if (element.VR == DicomVR.UN)
            {
                // Unknown VR: read as text, the way dcmdump shows it (PS3.5 §6.2.2 allows UN for any value).
                joined = Dataset.GetString(tag);
                values = joined.Split('\\');
                return true;
            }
            values = Dataset.GetStrings(tag);
            joined = string.Join('\\', values);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or DicomReadException or ArgumentException)
        {
            values = [];
            joined = "";
        }
        return true;
    }
}
