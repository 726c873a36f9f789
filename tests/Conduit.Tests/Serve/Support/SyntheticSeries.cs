using System.Globalization;
using System.Numerics;
using Conduit.Dicom;

namespace Conduit.Tests.Serve.Support;

/// <summary>What a generated series is made of: the tags a flow's triggers look at.</summary>
internal sealed record SeriesSpec(string Modality, string SeriesDescription)
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string MrImageStorage = "1.2.840.10008.5.1.4.1.1.4";

    public int Count { get; init; } = 20;

    /// <summary>The study to join; null for a new one.</summary>
    public string? StudyInstanceUid { get; init; }

    public string StudyDescription { get; init; } = "Conduit serve test";

    /// <summary>Whether each instance says how many the series holds (Number of Series Related Instances).</summary>
    public bool AnnouncesCount { get; init; }

    public string SopClassUid => Modality == "MR" ? MrImageStorage : CtImageStorage;
}

/// <summary>
/// A series written by the test: <see cref="SeriesSpec.Count"/> small images (8×8, 16 bits) of one SOP class sharing
/// a Study and a Series Instance UID, each with its own SOP Instance UID, in Explicit VR Little Endian Part 10 files.
/// Small on purpose: the tests are about the pipeline, not about moving bytes.
/// </summary>
internal sealed class SyntheticSeries
{
    private SyntheticSeries(string directory, string studyUid, string seriesUid, IReadOnlyList<string> sopInstanceUids)
    {
        Directory = directory;
        StudyInstanceUid = studyUid;
        SeriesInstanceUid = seriesUid;
        SopInstanceUids = sopInstanceUids;
    }

    /// <summary>The folder holding the files (and nothing else), for storescu.</summary>
    public string Directory { get; }

    public string StudyInstanceUid { get; }

    public string SeriesInstanceUid { get; }

    public IReadOnlyList<string> SopInstanceUids { get; }

    public IReadOnlyList<string> Files =>
        System.IO.Directory.EnumerateFiles(Directory, "*.dcm").Order(StringComparer.Ordinal).ToList();

    public static SyntheticSeries Write(string directory, SeriesSpec spec)
    {
        System.IO.Directory.CreateDirectory(directory);
        var studyUid = spec.StudyInstanceUid ?? NewUid();
        var seriesUid = NewUid();
        var uids = new List<string>(spec.Count);
        for (var i = 0; i < spec.Count; i++)
        {
            var sopInstanceUid = NewUid();
            var dataset = Image(spec, studyUid, seriesUid, sopInstanceUid, i + 1);
            var syntax = DicomTransferSyntax.ExplicitVRLittleEndian;
            var file = new DicomFile(DicomFile.CreateFileMeta(spec.SopClassUid, sopInstanceUid, syntax), dataset, syntax);
            file.Save(Path.Combine(directory, $"{i + 1:D3}.dcm"));
            uids.Add(sopInstanceUid);
        }
        return new SyntheticSeries(directory, studyUid, seriesUid, uids);
    }

    /// <summary>A UID under the 2.25 root from a random UUID (PS3.5 §B.2).</summary>
    public static string NewUid() => "2.25." + new BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true).ToString(CultureInfo.InvariantCulture);

    private static DicomDataset Image(SeriesSpec spec, string studyUid, string seriesUid, string sopInstanceUid, int number)
    {
        var instanceNumber = number.ToString(CultureInfo.InvariantCulture);
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, spec.SopClassUid)
            .AddOrUpdate(DicomTags.SOPInstanceUID, sopInstanceUid)
            .AddOrUpdate(DicomTags.StudyDate, "20261130")
            .AddOrUpdate(DicomTags.Modality, spec.Modality)
            .AddOrUpdate(DicomTags.StudyDescription, spec.StudyDescription)
            .AddOrUpdate(DicomTags.SeriesDescription, spec.SeriesDescription)
            .AddOrUpdate(DicomTags.PatientName, "Serve^Test")
            .AddOrUpdate(DicomTags.PatientID, "SERVE-E2E")
            .AddOrUpdate(DicomTags.StudyInstanceUID, studyUid)
            .AddOrUpdate(DicomTags.SeriesInstanceUID, seriesUid)
            .AddOrUpdate(DicomTags.SeriesNumber, "1")
            .AddOrUpdate(DicomTags.InstanceNumber, instanceNumber)
            .AddOrUpdate(DicomTags.SamplesPerPixel, DicomVR.US, (ushort)1)
            .AddOrUpdate(DicomTags.PhotometricInterpretation, "MONOCHROME2")
            .AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)8)
            .AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)8)
            .AddOrUpdate(DicomTags.BitsAllocated, DicomVR.US, (ushort)16)
            .AddOrUpdate(DicomTags.BitsStored, DicomVR.US, (ushort)16)
            .AddOrUpdate(DicomTags.HighBit, DicomVR.US, (ushort)15)
            .AddOrUpdate(DicomTags.PixelRepresentation, DicomVR.US, (ushort)0);
        if (spec.AnnouncesCount) ds.AddOrUpdate(DicomTags.NumberOfSeriesRelatedInstances, spec.Count.ToString(CultureInfo.InvariantCulture));
        var pixels = new byte[8 * 8 * 2];
        pixels[0] = (byte)number; // each image differs a little
        return ds.AddOrUpdate(DicomTags.PixelData, DicomVR.OW, pixels);
    }
}
