namespace Conduit.Dicom.Dump;

/// <summary>What <see cref="DicomTextDump"/> prints and how much of each value.</summary>
public sealed record DicomTextDumpOptions
{
    /// <summary>dcmdump's width for a printed value: longer values are cut to this many characters, "..." included.</summary>
    public const int DefaultMaxValueLength = 70;

    public static readonly DicomTextDumpOptions Default = new();

    /// <summary>
    /// Longest printed value, in characters, including the brackets and the "..." that marks a cut;
    /// null prints every value in full. Values below 8 are raised to 8 so a cut value still shows something.
    /// </summary>
    public int? MaxValueLength { get; init; } = DefaultMaxValueLength;

    /// <summary>Print the File Meta Information group (0002,xxxx) before the data set.</summary>
    public bool ShowMeta { get; init; } = true;
}
