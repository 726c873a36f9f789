using Conduit.Dicom;

namespace Conduit.Pipeline.Flows.Matching;

/// <summary>What a trigger reads from an instance: a tag's values as text, or that it is absent.</summary>
public interface ITagValues
{
    /// <summary>
    /// The tag's values (multi-valued elements split on the backslash) and the whole value as stored (joined with
    /// backslashes); false when the tag is absent. A binary or sequence value gives no text values.
    /// </summary>
    bool TryGetValues(DicomTag tag, out IReadOnlyList<string> values, out string joined);
}
