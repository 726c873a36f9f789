namespace Conduit.Dicom;

/// <summary>A Part 10 file: File Meta Information (group 0002) and the data set, with what the reader had to tolerate.</summary>
public sealed partial class DicomFile
{
    public DicomFile(DicomDataset meta, DicomDataset dataset, DicomTransferSyntax syntax, byte[]? preamble = null, IReadOnlyList<DicomReadWarning>? warnings = null)
    {
        Meta = meta;
        Dataset = dataset;
        TransferSyntax = syntax;
        Preamble = preamble;
        Warnings = warnings ?? [];
    }

    public DicomDataset Meta { get; }
    public DicomDataset Dataset { get; }

    /// <summary>The syntax the data set was read in (from the File Meta, or inferred).</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>The 128-byte preamble, or null when the file had none.</summary>
    public byte[]? Preamble { get; }

    public IReadOnlyList<DicomReadWarning> Warnings { get; }

    /// <summary>Byte offset in the source where the data set (after preamble and File Meta) began; 0 for files built in memory.</summary>
    public long DatasetOffset { get; init; }

    public static DicomFile Open(string path, DicomReadOptions? options = null) => DicomReader.ReadFile(path, options);

    public static DicomFile Open(Stream stream, DicomReadOptions? options = null) => DicomReader.ReadFile(stream, options);
}
