using System.Collections.Frozen;

namespace Conduit.Dicom;

/// <summary>How a data set is encoded on the wire or on disk (PS3.5 §10 and Annex A).</summary>
public sealed class DicomTransferSyntax
{
    private DicomTransferSyntax(string uid, string name, bool explicitVR, bool bigEndian, bool deflated, bool encapsulated)
    {
        Uid = uid;
        Name = name;
        IsExplicitVR = explicitVR;
        IsBigEndian = bigEndian;
        IsDeflated = deflated;
        IsEncapsulated = encapsulated;
    }

    public string Uid { get; }
    public string Name { get; }
    public bool IsExplicitVR { get; }
    public bool IsBigEndian { get; }
    /// <summary>The whole data set after the File Meta is a raw deflate stream (PS3.5 §A.5).</summary>
    public bool IsDeflated { get; }
    /// <summary>Pixel Data is a sequence of fragments (PS3.5 §A.4).</summary>
    public bool IsEncapsulated { get; }
    /// <summary>Native pixel data in one of the three basic encodings, convertible to each other losslessly.</summary>
    public bool IsUncompressed => !IsEncapsulated && !IsDeflated;
    /// <summary>False for syntaxes this library does not know by UID (read as Explicit VR Little Endian, encapsulated).</summary>
    public bool IsKnown { get; private init; } = true;

    public override string ToString() => $"{Name} [{Uid}]";

    public static readonly DicomTransferSyntax ImplicitVRLittleEndian = new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, false);
    public static readonly DicomTransferSyntax ExplicitVRLittleEndian = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, false);
    public static readonly DicomTransferSyntax ExplicitVRBigEndian = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian (retired)", true, true, false, false);
    public static readonly DicomTransferSyntax DeflatedExplicitVRLittleEndian = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, false);

    private static DicomTransferSyntax Encapsulated(string uid, string name) => new(uid, name, true, false, false, true);

    // PS3.6 Table A-1: the encapsulated syntaxes, all Explicit VR Little Endian with fragmented Pixel Data.
    public static readonly DicomTransferSyntax EncapsulatedUncompressedExplicitVRLittleEndian = Encapsulated("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian");
    public static readonly DicomTransferSyntax JPEGBaseline8Bit = Encapsulated("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)");
    public static readonly DicomTransferSyntax JPEGExtended12Bit = Encapsulated("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)");
    public static readonly DicomTransferSyntax JPEGLossless = Encapsulated("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)");
    public static readonly DicomTransferSyntax JPEGLosslessSV1 = Encapsulated("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])");
    public static readonly DicomTransferSyntax JPEGLSLossless = Encapsulated("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression");
    public static readonly DicomTransferSyntax JPEGLSNearLossless = Encapsulated("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression");
    public static readonly DicomTransferSyntax JPEG2000Lossless = Encapsulated("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)");
    public static readonly DicomTransferSyntax JPEG2000 = Encapsulated("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression");
    public static readonly DicomTransferSyntax JPEG2000Part2Lossless = Encapsulated("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)");
    public static readonly DicomTransferSyntax JPEG2000Part2 = Encapsulated("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression");
    public static readonly DicomTransferSyntax JPIPReferenced = Encapsulated("1.2.840.10008.1.2.4.94", "JPIP Referenced");
    public static readonly DicomTransferSyntax JPIPReferencedDeflate = new("1.2.840.10008.1.2.4.95", "JPIP Referenced Deflate", true, false, true, false);
    public static readonly DicomTransferSyntax MPEG2MainProfile = Encapsulated("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level");
    public static readonly DicomTransferSyntax MPEG2MainProfileHighLevel = Encapsulated("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level");
    public static readonly DicomTransferSyntax MPEG4AVCH264HighProfile = Encapsulated("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1");
    public static readonly DicomTransferSyntax MPEG4AVCH264BDCompatible = Encapsulated("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1");
    public static readonly DicomTransferSyntax MPEG4AVCH264HighProfile2D = Encapsulated("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video");
    public static readonly DicomTransferSyntax MPEG4AVCH264HighProfile3D = Encapsulated("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video");
    public static readonly DicomTransferSyntax MPEG4AVCH264StereoHighProfile = Encapsulated("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2");
    public static readonly DicomTransferSyntax HEVCMainProfile = Encapsulated("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1");
    public static readonly DicomTransferSyntax HEVCMain10Profile = Encapsulated("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1");
    public static readonly DicomTransferSyntax JPEGXLLossless = Encapsulated("1.2.840.10008.1.2.4.110", "JPEG XL Lossless");
    public static readonly DicomTransferSyntax JPEGXLJPEGRecompression = Encapsulated("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression");
    public static readonly DicomTransferSyntax JPEGXL = Encapsulated("1.2.840.10008.1.2.4.112", "JPEG XL");
    public static readonly DicomTransferSyntax HTJ2KLossless = Encapsulated("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)");
    public static readonly DicomTransferSyntax HTJ2KLosslessRPCL = Encapsulated("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)");
    public static readonly DicomTransferSyntax HTJ2K = Encapsulated("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression");
    public static readonly DicomTransferSyntax RLELossless = Encapsulated("1.2.840.10008.1.2.5", "RLE Lossless");
    public static readonly DicomTransferSyntax DeflatedImageFrameCompression = Encapsulated("1.2.840.10008.1.2.8.1", "Deflated Image Frame Compression");

    private static readonly FrozenDictionary<string, DicomTransferSyntax> Known = new[]
    {
        ImplicitVRLittleEndian, ExplicitVRLittleEndian, ExplicitVRBigEndian, DeflatedExplicitVRLittleEndian,
        EncapsulatedUncompressedExplicitVRLittleEndian, JPEGBaseline8Bit, JPEGExtended12Bit, JPEGLossless, JPEGLosslessSV1,
        JPEGLSLossless, JPEGLSNearLossless, JPEG2000Lossless, JPEG2000, JPEG2000Part2Lossless, JPEG2000Part2,
        JPIPReferenced, JPIPReferencedDeflate, MPEG2MainProfile, MPEG2MainProfileHighLevel, MPEG4AVCH264HighProfile,
        MPEG4AVCH264BDCompatible, MPEG4AVCH264HighProfile2D, MPEG4AVCH264HighProfile3D, MPEG4AVCH264StereoHighProfile,
        HEVCMainProfile, HEVCMain10Profile, JPEGXLLossless, JPEGXLJPEGRecompression, JPEGXL,
        HTJ2KLossless, HTJ2KLosslessRPCL, HTJ2K, RLELossless, DeflatedImageFrameCompression,
    }.ToFrozenDictionary(t => t.Uid, StringComparer.Ordinal);

    public static IEnumerable<DicomTransferSyntax> All => Known.Values;

    /// <summary>
    /// The syntax for a UID. Unknown UIDs are treated as Explicit VR Little Endian with encapsulated Pixel Data,
    /// which PS3.5 §10 requires of every syntax other than the three uncompressed ones.
    /// </summary>
    public static DicomTransferSyntax Parse(string uid)
    {
        var trimmed = uid.TrimEnd('\0', ' ').Trim();
        return Known.TryGetValue(trimmed, out var ts)
            ? ts
            : new DicomTransferSyntax(trimmed, "Unknown transfer syntax", true, false, false, true) { IsKnown = false };
    }

    public static bool TryLookup(string uid, out DicomTransferSyntax syntax) =>
        Known.TryGetValue(uid.TrimEnd('\0', ' ').Trim(), out syntax!);
}
