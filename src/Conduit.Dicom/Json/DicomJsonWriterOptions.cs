namespace Conduit.Dicom;

/// <summary>How <see cref="DicomJsonWriter"/> writes DICOM JSON (PS3.18 Annex F).</summary>
public sealed record DicomJsonWriterOptions
{
    public static readonly DicomJsonWriterOptions Default = new();

    /// <summary>Write the File Meta Information (group 0002) too. Off by default: PS3.18 models the data set only.</summary>
    public bool IncludeFileMeta { get; init; }

    /// <summary>Indent the output for people; compact (the default) for machines.</summary>
    public bool Indented { get; init; }

    /// <summary>
    /// Binary values (OB, OD, OF, OL, OV, OW, UN and encapsulated Pixel Data) of at least this many bytes are written
    /// as a BulkDataURI when <see cref="BulkDataUri"/> gives one; smaller ones always inline.
    /// </summary>
    public long BulkDataThreshold { get; init; } = 1024;

    /// <summary>
    /// Makes the BulkDataURI of a large binary value (PS3.18 §F.2.6); null, or a null result, writes InlineBinary
    /// (§F.2.7) instead.
    /// </summary>
    public Func<DicomJsonBulkData, string?>? BulkDataUri { get; init; }
}

/// <summary>A binary value the writer may replace by a BulkDataURI.</summary>
/// <param name="Path">JSON Pointer (RFC 6901) of the attribute in the document, e.g. "/00540016/Value/0/7FE00010".</param>
/// <param name="Item">The element or encapsulated Pixel Data.</param>
/// <param name="Length">Bytes the value has in JSON form (for fragments: the item stream, headers included).</param>
public sealed record DicomJsonBulkData(string Path, DicomItem Item, long Length)
{
    public DicomTag Tag => Item.Tag;
    public DicomVR VR => Item.VR;
}
