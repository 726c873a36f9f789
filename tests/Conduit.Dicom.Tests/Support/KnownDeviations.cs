namespace Conduit.Dicom.Tests.Support;

/// <summary>
/// The documented allow-list of docs/conformance.md: the ways the reference readers
/// (dcmtk 3.6.7 dcm2json, pydicom 2.3 to_json_dict) depart from PS3.18 Annex F or from
/// each other on the sample corpus. Each hook returns the reason, quoted in test output.
/// Keep this file and the table in docs/conformance.md in step.
/// </summary>
public static class KnownDeviations
{
    private const string ExplicitVrBigEndian = "1.2.840.10008.1.2.2";

    /// <summary>Deviations accepted when dcm2json is the reference.</summary>
    public static DicomJsonDeviation Dcm2Json() => (tag, vr, path) =>
        GroupLength(tag)
        ?? (tag == "00080005"
            ? "dcm2json converts every string to UTF-8 and rewrites Specific Character Set to ISO_IR 192"
            : null)
        ?? PrivateVr(tag, path);

    /// <summary>Deviations accepted when pydicom is the reference, for a file in <paramref name="transferSyntaxUid"/>.</summary>
    /// <param name="unknownVrPaths">
    /// JSON Pointers ("/00080005/vr", nested ones too) of the elements the file itself declares as UN, which pydicom
    /// retypes from its dictionary; empty when not known.
    /// </param>
    public static DicomJsonDeviation Pydicom(string transferSyntaxUid, IReadOnlySet<string>? unknownVrPaths = null) => (tag, vr, path) =>
        GroupLength(tag)
        ?? PrivateVr(tag, path)
        ?? (transferSyntaxUid == ExplicitVrBigEndian
            && path.EndsWith("/InlineBinary", StringComparison.Ordinal)
            && vr is "OW" or "OF" or "OD" or "OL" or "OV"
                ? "pydicom writes InlineBinary in the file's big-endian byte order, not little endian"
                : null)
        ?? (unknownVrPaths is not null && unknownVrPaths.Contains(path)
            ? "pydicom replaces an explicit UN by its dictionary VR (config.replace_un_with_known_vr); dcmtk and Conduit keep the VR the file declares"
            : null)
        ?? (path == "/7FE00010/vr" && vr == "OW" && IsEncapsulated(transferSyntaxUid)
            ? "pydicom keeps the OW a file declares for encapsulated Pixel Data; PS3.5 §A.4 makes it OB, as dcmtk and Conduit read it"
            : null);

    /// <summary>
    /// Deviations of a reference on one sample file, where it misreads that file (docs/conformance.md, "Per file").
    /// </summary>
    public static DicomJsonDeviation ForFile(string samplePath) => samplePath switch
    {
        "malformed/GH626.dcm" => (_, _, path) =>
            path.StartsWith("/2005140F/Value/0/", StringComparison.Ordinal) || path is "/2005141A" or "/7FE00010"
                ? "pydicom reads the explicit VR item of (2005,140F) in an implicit VR file as implicit VR: (0018,9036) swallows the rest of the file"
                : null,
        _ => (_, _, _) => null,
    };

    /// <summary>Combines hooks: the first reason wins.</summary>
    public static DicomJsonDeviation Either(params DicomJsonDeviation[] hooks) => (tag, vr, path) =>
        hooks.Select(h => h(tag, vr, path)).FirstOrDefault(r => r is not null);

    private static string? GroupLength(string tag) =>
        tag.Length == 8 && tag.EndsWith("0000", StringComparison.Ordinal)
            ? "group length (gggg,0000): dcm2json drops it, pydicom keeps it; retired in data sets (PS3.5 §7.2)"
            : null;

    private static string? PrivateVr(string tag, string path) =>
        IsPrivate(tag) && path.EndsWith("/vr", StringComparison.Ordinal)
            ? "VR of a private element read in implicit VR depends on the reader's private dictionary"
            : null;

    /// <summary>Every syntax but the three native ones and deflate encapsulates Pixel Data (PS3.5 §A.4).</summary>
    private static bool IsEncapsulated(string transferSyntaxUid) =>
        transferSyntaxUid is not ("1.2.840.10008.1.2" or "1.2.840.10008.1.2.1" or ExplicitVrBigEndian or "1.2.840.10008.1.2.1.99");

    private static bool IsPrivate(string tag) =>
        tag.Length == 8 && Convert.ToUInt16(tag[..4], 16) % 2 == 1;
}
