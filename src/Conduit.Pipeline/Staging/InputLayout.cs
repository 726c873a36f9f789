using Conduit.Dicom;

namespace Conduit.Pipeline.Staging;

/// <summary>
/// How a job's instances are laid out in the first step's input folder: all in one folder (flat), or in nested
/// subfolders named after tag values, e.g. [StudyInstanceUID, SeriesInstanceUID] (DicomFlow's TAR_SUBDIR).
/// </summary>
public sealed record InputLayout(IReadOnlyList<DicomTag> SubfolderTags)
{
    public static InputLayout Flat { get; } = new([]);

    public bool IsFlat => SubfolderTags.Count == 0;
}
