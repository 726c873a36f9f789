using Conduit.Dicom.Network.Pdu;

namespace Conduit.Dicom.Network.Tests.Support;

/// <summary>Small builders for the protocol tests.</summary>
internal static class TestDicom
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string SecondaryCapture = "1.2.840.10008.5.1.4.1.1.7";
    public static readonly string ExplicitLE = DicomTransferSyntax.ExplicitVRLittleEndian.Uid;
    public static readonly string ImplicitLE = DicomTransferSyntax.ImplicitVRLittleEndian.Uid;

    public static AssociateRequestPdu Request(string called = "CONDUIT", string calling = "TESTSCU", params PresentationContextRequest[] contexts) => new()
    {
        CalledAeTitle = called,
        CallingAeTitle = calling,
        PresentationContexts = contexts.Length > 0 ? contexts : [new(1, CtImageStorage, [ExplicitLE]), new(3, DicomUids.Verification, [ImplicitLE])],
        UserInformation = new UserInformation { MaxPduLength = 16384 },
    };

    /// <summary>A small CT instance's data set, in Explicit VR LE, with the UIDs given (null leaves one out).</summary>
    public static byte[] Dataset(string? sopInstance, string? study = "1.2.3.4", string? series = "1.2.3.4.5", string sopClass = CtImageStorage, int pixelBytes = 512)
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, sopClass);
        if (sopInstance is not null) ds.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, sopInstance);
        ds.AddOrUpdate(DicomTags.PatientID, DicomVR.LO, "PAT1");
        ds.AddOrUpdate(DicomTags.Modality, DicomVR.CS, "CT");
        if (study is not null) ds.AddOrUpdate(DicomTags.StudyInstanceUID, DicomVR.UI, study);
        if (series is not null) ds.AddOrUpdate(DicomTags.SeriesInstanceUID, DicomVR.UI, series);
        ds.AddOrUpdate(DicomTags.Rows, DicomVR.US, (ushort)16);
        ds.AddOrUpdate(DicomTags.Columns, DicomVR.US, (ushort)(pixelBytes / 32));
        ds.AddOrUpdate(new DicomTag(0x7FE00010), DicomVR.OW, new byte[pixelBytes]);
        using var stream = new MemoryStream();
        DicomWriter.WriteDataset(stream, ds, DicomTransferSyntax.ExplicitVRLittleEndian);
        return stream.ToArray();
    }

    public static string TempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "conduit-net-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
