using System.Numerics;
using Conduit.Dicom;
using Conduit.Dicom.Tests.Support;

namespace Conduit.Tests.Support;

/// <summary>One generated instance: its file and the UIDs that name it in a receiver's output tree.</summary>
internal sealed record GeneratedInstance(string Path, string StudyUid, string SeriesUid, string SopInstanceUid)
{
    /// <summary>Where a receiver stores it: <c>&lt;out&gt;/&lt;Study&gt;/&lt;Series&gt;/&lt;SOP Instance&gt;.dcm</c> (issue 3, CLI).</summary>
    public string StoredPath(string outDirectory) => System.IO.Path.Combine(outDirectory, StudyUid, SeriesUid, SopInstanceUid + ".dcm");
}

/// <summary>
/// Copies of a real CT sample, each with fresh Study/Series/SOP Instance UIDs, so a test can send a few dozen
/// distinct instances and find each one in the output tree afterwards.
/// </summary>
internal static class GeneratedInstances
{
    public const string TemplateSample = "ts-explicit-vr-le/CT_small.dcm";

    /// <summary>Writes <paramref name="count"/> instances of one new series into <paramref name="directory"/>.</summary>
    public static IReadOnlyList<GeneratedInstance> Write(string directory, int count)
    {
        Directory.CreateDirectory(directory);
        var studyUid = NewUid();
        var seriesUid = NewUid();
        var instances = new List<GeneratedInstance>(count);
        for (var i = 0; i < count; i++)
        {
            var sopInstanceUid = NewUid();
            var file = Template(studyUid, seriesUid, sopInstanceUid);
            var path = Path.Combine(directory, $"instance-{i:D3}.dcm");
            file.Save(path);
            instances.Add(new GeneratedInstance(path, studyUid, seriesUid, sopInstanceUid));
        }
        return instances;
    }

    /// <summary>
    /// The data set of a fresh instance encoded in Explicit VR Little Endian, for the raw peer's C-STORE; without
    /// <paramref name="withPixelData"/>, it ends before (7FE0,0010). <paramref name="paddingBytes"/> makes it that much
    /// larger, with Data Set Trailing Padding (FFFC,FFFC): enough of it, and a receiver writes the instance to a file
    /// before its end arrives.
    /// </summary>
    public static (byte[] Dataset, GeneratedInstance Instance) DatasetBytes(bool withPixelData = true, int paddingBytes = 0)
    {
        var studyUid = NewUid();
        var seriesUid = NewUid();
        var sopInstanceUid = NewUid();
        var file = Template(studyUid, seriesUid, sopInstanceUid);
        if (!withPixelData)
        {
            // and the Data Set Trailing Padding after it, so that a caller can append its own last element
            file.Dataset.Remove(DicomTags.PixelData);
            file.Dataset.Remove(DicomTags.DataSetTrailingPadding);
        }
        else if (paddingBytes > 0)
        {
            file.Dataset.AddOrUpdate(DicomTags.DataSetTrailingPadding, DicomVR.OB, new byte[paddingBytes]);
        }
        using var stream = new MemoryStream();
        DicomWriter.WriteDataset(stream, file.Dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
        return (stream.ToArray(), new GeneratedInstance("", studyUid, seriesUid, sopInstanceUid));
    }

    /// <summary>A UID under the 2.25 root from a random UUID (PS3.5 §B.2).</summary>
    public static string NewUid() => "2.25." + new BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true);

    private static DicomFile Template(string studyUid, string seriesUid, string sopInstanceUid)
    {
        var file = DicomFile.Open(Samples.Get(TemplateSample).FullPath);
        file.Dataset.AddOrUpdate(DicomTags.StudyInstanceUID, studyUid);
        file.Dataset.AddOrUpdate(DicomTags.SeriesInstanceUID, seriesUid);
        file.Dataset.AddOrUpdate(DicomTags.SOPInstanceUID, sopInstanceUid);
        file.Meta.AddOrUpdate(DicomTags.MediaStorageSOPInstanceUID, sopInstanceUid);
        return file;
    }
}
