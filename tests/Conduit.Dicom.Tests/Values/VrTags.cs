namespace Conduit.Dicom.Tests.Values;

/// <summary>For each VR, a public tag whose dictionary entry has only that VR, so implicit VR reading recovers it.</summary>
internal static class VrTags
{
    /// <summary>A private tag with no creator: read in implicit VR it can only be UN.</summary>
    public static readonly DicomTag Unknown = new(0x0009, 0x1010);

    public static DicomTag For(DicomVR vr)
    {
        if (vr == DicomVR.UN) return Unknown;
        var entry = DicomDictionary.Entries.FirstOrDefault(e =>
            e.PrivateCreator is null && e.Mask == 0xFFFFFFFF && e.VRs.Length == 1 && e.VRs[0] == vr
            && e.Tag.Group > 0x0002 && !e.Tag.IsGroupLength && e.Tag.Group != 0xFFFE);
        return entry?.Tag ?? throw new InvalidOperationException($"no dictionary tag has only VR {vr.Code}");
    }

    /// <summary>Every VR of PS3.5 Table 6.2-1.</summary>
    public static readonly DicomVR[] All =
    [
        DicomVR.AE, DicomVR.AS, DicomVR.AT, DicomVR.CS, DicomVR.DA, DicomVR.DS, DicomVR.DT, DicomVR.FD, DicomVR.FL,
        DicomVR.IS, DicomVR.LO, DicomVR.LT, DicomVR.OB, DicomVR.OD, DicomVR.OF, DicomVR.OL, DicomVR.OV, DicomVR.OW,
        DicomVR.PN, DicomVR.SH, DicomVR.SL, DicomVR.SQ, DicomVR.SS, DicomVR.ST, DicomVR.SV, DicomVR.TM, DicomVR.UC,
        DicomVR.UI, DicomVR.UL, DicomVR.UN, DicomVR.UR, DicomVR.US, DicomVR.UT, DicomVR.UV,
    ];
}
