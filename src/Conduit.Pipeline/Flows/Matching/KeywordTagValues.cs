using Conduit.Dicom;

namespace Conduit.Pipeline.Flows.Matching;

/// <summary>Tag values from a keyword → value map (what the grouping layer keeps of an instance, e.g. <c>InstanceArrival.Tags</c>).</summary>
public sealed class KeywordTagValues(IReadOnlyDictionary<string, string> tags) : ITagValues
{
    public bool TryGetValues(DicomTag tag, out IReadOnlyList<string> values, out string joined)
    {
        values = [];
        joined = "";
        var keyword = DicomDictionary.Find(tag)?.Keyword;
        if ((keyword is null || !tags.TryGetValue(keyword, out var value)) && !tags.TryGetValue(tag.ToString(), out value))
            return false;
        joined = value;
        values = value.Split('\\');
        return true;
    }
}
