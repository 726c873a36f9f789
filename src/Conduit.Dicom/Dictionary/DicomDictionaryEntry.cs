namespace Conduit.Dicom;

/// <summary>One attribute of the PS3.6 data dictionary (or of a known private dictionary).</summary>
/// <param name="Tag">The tag; for repeating groups such as (60xx,3000) the x digits are zero.</param>
/// <param name="Mask">Bits of a tag that must equal <paramref name="Tag"/> to match: 0xFFFFFFFF for plain tags, 0xFF01FFFF for (60xx,eeee) (even groups only), 0xFFFF00FF for private entries (any block).</param>
/// <param name="Keyword">The PS3.6 keyword, e.g. PatientName.</param>
/// <param name="Name">The attribute name, e.g. "Patient's Name".</param>
/// <param name="VRs">Allowed VRs; the first is used when reading implicit VR (e.g. US or SS → US, OB or OW → OW).</param>
/// <param name="VM">Value multiplicity, e.g. "1", "1-n", "2-2n".</param>
/// <param name="IsRetired">True when PS3.6 marks the attribute retired.</param>
/// <param name="PrivateCreator">For private dictionary entries, the creator string that reserves the block; null for public ones.</param>
public sealed record DicomDictionaryEntry(
    DicomTag Tag,
    uint Mask,
    string Keyword,
    string Name,
    DicomVR[] VRs,
    string VM,
    bool IsRetired,
    string? PrivateCreator = null)
{
    public DicomVR VR => VRs.Length > 0 ? VRs[0] : DicomVR.UN;
}
