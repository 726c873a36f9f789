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
    public static DicomJsonDeviation Pydicom(string transferSyntaxUid) => (tag, vr, path) =>
        GroupLength(tag)
        ?? PrivateVr(tag, path)
        ?? (transferSyntaxUid == ExplicitVrBigEndian
            && path.EndsWith("/InlineBinary", StringComparison.Ordinal)
            && vr is "OW" or "OF" or "OD" or "OL" or "OV"
                ? "pydicom writes InlineBinary in the file's big-endian byte order, not little endian"
                : null);

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

    private static bool IsPrivate(string tag) =>
        tag.Length == 8 && Convert.ToUInt16(tag[..4], 16) % 2 == 1;
}
