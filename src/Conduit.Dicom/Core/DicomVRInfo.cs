namespace Conduit.Dicom;

/// <summary>Facts about each VR from PS3.5 §6.2 and §7.1.2, as extension members.</summary>
public static class DicomVRInfo
{
    extension(DicomVR vr)
    {
        /// <summary>True for the VRs whose explicit-VR header has 2 reserved bytes and a 32-bit length (PS3.5 §7.1.2).</summary>
        public bool HasLongLength => vr is DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV
            or DicomVR.OW or DicomVR.SQ or DicomVR.SV or DicomVR.UC or DicomVR.UN or DicomVR.UR
            or DicomVR.UT or DicomVR.UV;

        /// <summary>Character string VRs: values are text, padded with a space (UI with NUL).</summary>
        public bool IsString => vr is DicomVR.AE or DicomVR.AS or DicomVR.CS or DicomVR.DA or DicomVR.DS
            or DicomVR.DT or DicomVR.IS or DicomVR.LO or DicomVR.LT or DicomVR.PN or DicomVR.SH
            or DicomVR.ST or DicomVR.TM or DicomVR.UC or DicomVR.UI or DicomVR.UR or DicomVR.UT;

        /// <summary>String VRs whose text is decoded with Specific Character Set (the others are always ASCII/ISO 646).</summary>
        public bool UsesCharacterSet => vr is DicomVR.LO or DicomVR.LT or DicomVR.PN or DicomVR.SH
            or DicomVR.ST or DicomVR.UC or DicomVR.UT;

        /// <summary>VRs whose single value may contain a backslash, so are never split into multiple values.</summary>
        public bool IsSingleValuedText => vr is DicomVR.LT or DicomVR.ST or DicomVR.UT or DicomVR.UR;

        /// <summary>Byte size of one binary value, used for byte swapping and value counts; 0 for strings, SQ, OB, UN.</summary>
        public int ValueSize => vr switch
        {
            DicomVR.US or DicomVR.SS or DicomVR.OW => 2,
            DicomVR.UL or DicomVR.SL or DicomVR.FL or DicomVR.OF or DicomVR.OL or DicomVR.AT => 4,
            DicomVR.FD or DicomVR.OD or DicomVR.SV or DicomVR.UV or DicomVR.OV => 8,
            _ => 0,
        };

        /// <summary>Width of the unit that changes order between little and big endian (AT swaps as two 16-bit halves).</summary>
        public int SwapUnit => vr == DicomVR.AT ? 2 : vr.ValueSize;

        /// <summary>The byte that pads an odd-length value to even length (PS3.5 §6.2).</summary>
        public byte PaddingByte => vr == DicomVR.UI || !vr.IsString ? (byte)0 : (byte)' ';

        /// <summary>True for OB, OD, OF, OL, OV, OW and UN: values that may be bulk data.</summary>
        public bool IsBinary => vr is DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV
            or DicomVR.OW or DicomVR.UN;

        /// <summary>The two-letter code.</summary>
        public string Code => vr == DicomVR.None ? "--" : string.Create(2, (ushort)vr, static (s, v) =>
        {
            s[0] = (char)(v >> 8);
            s[1] = (char)(v & 0xFF);
        });
    }

    /// <summary>Reads a VR from its two ASCII bytes; false when the bytes are not a known VR.</summary>
    public static bool TryParse(byte first, byte second, out DicomVR vr)
    {
        vr = (DicomVR)((first << 8) | second);
        return IsKnown(vr);
    }

    public static bool TryParse(string code, out DicomVR vr)
    {
        vr = DicomVR.None;
        return code.Length == 2 && code[0] < 128 && code[1] < 128 && TryParse((byte)code[0], (byte)code[1], out vr);
    }

    public static bool IsKnown(DicomVR vr) => vr switch
    {
        DicomVR.AE or DicomVR.AS or DicomVR.AT or DicomVR.CS or DicomVR.DA or DicomVR.DS or DicomVR.DT
            or DicomVR.FD or DicomVR.FL or DicomVR.IS or DicomVR.LO or DicomVR.LT or DicomVR.OB or DicomVR.OD
            or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.PN or DicomVR.SH or DicomVR.SL
            or DicomVR.SQ or DicomVR.SS or DicomVR.ST or DicomVR.SV or DicomVR.TM or DicomVR.UC or DicomVR.UI
            or DicomVR.UL or DicomVR.UN or DicomVR.UR or DicomVR.US or DicomVR.UT or DicomVR.UV => true,
        _ => false,
    };
}
