using System.Buffers.Binary;

namespace Conduit.Dicom;

/// <summary>
/// Picks the VR of an implicit VR element whose dictionary entry allows "US or SS" (PS3.5 §A.1, PS3.6 §6): pixel
/// values such as Pixel Padding Value (0028,0120) or Smallest Image Pixel Value (0028,0106) are SS when Pixel
/// Representation (0028,0103) is 1, as dcmtk and pydicom read them. LUT descriptors stay US: their first and third
/// values are always unsigned (PS3.3 §C.11.1.1.1).
/// </summary>
public static class DicomAmbiguousVR
{
    private static readonly DicomTag PixelRepresentation = new(0x00280103);

    public static DicomVR Resolve(DicomDataset dataset, DicomTag tag, DicomVR dictionaryVR)
    {
        if (dictionaryVR != DicomVR.US || IsLutDescriptor(tag)) return dictionaryVR;
        var entry = DicomDictionary.Find(tag);
        if (entry is null || entry.VRs.Length != 2 || entry.VRs[1] != DicomVR.SS) return dictionaryVR;
        for (var ds = dataset; ds is not null; ds = ds.Parent)
        {
            if (ds.GetItem(PixelRepresentation) is DicomElement { Length: >= 2 } e)
                return BinaryPrimitives.ReadUInt16LittleEndian(e.Buffer.Span) == 1 ? DicomVR.SS : DicomVR.US;
        }
        return dictionaryVR;
    }

    private static bool IsLutDescriptor(DicomTag tag) =>
        tag.Value is 0x00281100 or 0x00281101 or 0x00281102 or 0x00281103
            or 0x00281111 or 0x00281112 or 0x00281113 or 0x00283002;
}
