namespace Conduit.Dicom;

/// <summary>How much of a data set to read and how to hold it.</summary>
public sealed record DicomReadOptions
{
    public static readonly DicomReadOptions Default = new();

    /// <summary>Stops before Pixel Data: all a router needs to match and group instances.</summary>
    public static readonly DicomReadOptions HeaderOnly = new() { StopBeforeTag = new DicomTag(0x7FE00010), DeferSequences = true };

    /// <summary>Stop reading the top-level data set at the first element whose tag is at or after this one.</summary>
    public DicomTag? StopBeforeTag { get; init; }

    /// <summary>
    /// Values longer than this stay in the file and are read when asked for (only when reading from a file that is
    /// not deflated). Set to long.MaxValue to load everything.
    /// </summary>
    public long LazyValueThreshold { get; init; } = 256 * 1024;

    /// <summary>
    /// Sequences of defined length are kept as bytes and parsed when their items are first asked for: a router that
    /// reads top-level tags never pays for an RT plan's thousand control points. Structural errors inside such a
    /// sequence surface as a <see cref="DicomReadException"/> on that first access.
    /// </summary>
    public bool DeferSequences { get; init; }

    /// <summary>
    /// Binary values (VR OB, OD, OF, OL, OV, OW) of defined length longer than this are checked to lie within the
    /// data, then skipped and left out of the data set: a receiver that validates an instance and hands its header on
    /// need not copy its Pixel Data. Null (the default) keeps every value.
    /// </summary>
    public long? SkipBulkDataOver { get; init; }

    /// <summary>
    /// When set, top-level elements whose tags are not in it are checked (a defined length must lie within the data;
    /// an undefined one is read through to its delimiter) and left out of the data set: a receiver that only needs a
    /// few keys still walks the whole structure, without building it.
    /// </summary>
    public IReadOnlySet<DicomTag>? KeepOnly { get; init; }

    /// <summary>Deepest nesting of sequences accepted; deeper data is refused as hostile.</summary>
    public int MaxSequenceDepth { get; init; } = 64;
}

/// <summary>A defect the reader tolerated, the way dcmtk tolerates it, with where it was found.</summary>
public sealed record DicomReadWarning(long Offset, DicomTag? Tag, string Message)
{
    public override string ToString() => Tag is { } t ? $"at byte {Offset}, element {t}: {Message}" : $"at byte {Offset}: {Message}";
}
